// The --since machinery in-process: replay of changes made while stopped, state file checks, filters.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { IN_ALL_EVENTS, IN_CLOSE_WRITE, IN_CREATE, Watcher, loadBackend } from '@inotifykit/event-core';
import { SinceSaveError, SinceStateError, openSince } from '@inotifykit/event-core/since';
import { lines, makeTree, tempDir, waitFor } from '../backends/parcel/helpers.mjs';

/** One run: open the state, watch, start (replay), and hand back what was replayed plus live events. */
async function run(t, state, roots, { backend = 'inotify', recursive = true, requested = 0, excludeDirs, filter } = {}) {
  const since = await openSince(state, roots, { recursive, requested, excludeDirs, filter, saveIntervalMs: 0 });
  const b = await loadBackend(backend);
  b.configure?.({ recursive, excludeDirs });
  const watcher = new Watcher({ mask: requested || IN_ALL_EVENTS, recursive, backend: b, filter });
  for (const r of roots) watcher.add(r);
  await b.ready?.();
  const replayed = [];
  const live = [];
  const batch = await since.start(watcher, { replay: (e) => void replayed.push(...e), live: (e) => void live.push(...e) });
  watcher.start({ batch });
  let closed = false;
  const close = async (opts) => {
    if (closed) return;
    closed = true;
    try {
      await since.close(opts);
    } finally {
      await watcher.close(); // whatever happened: its reader thread would keep the test process alive
    }
  };
  t.after(close);
  return { since, replayed, live, close, watcher };
}

for (const backend of ['inotify', 'parcel']) {
  test(`${backend}: first run replays nothing and writes the state; the next replays exactly what changed`, async (t) => {
    const dir = tempDir(t);
    makeTree(dir, { 'tree/a/b/keep': '1', 'tree/a/mod': 'old', 'tree/gone': 'x', 'tree/olddir/f': 'y' });
    const state = `${dir}/state`;
    const first = await run(t, state, [`${dir}/tree`], { backend });
    assert.equal(first.since.firstRun, true);
    assert.deepEqual(first.replayed, []);
    await first.close();
    assert.equal(fs.readFileSync(state, 'latin1').split('\n')[0], 'inotifykit-since 1');

    // Changes while nothing watches: create, modify, delete, in nested directories.
    makeTree(dir, { 'tree/a/b/c/new': 'n' });
    fs.writeFileSync(`${dir}/tree/a/mod`, 'new content');
    fs.unlinkSync(`${dir}/tree/gone`);
    fs.rmSync(`${dir}/tree/olddir`, { recursive: true });

    const second = await run(t, state, [`${dir}/tree`], { backend });
    assert.equal(second.since.firstRun, false);
    const got = lines(second.replayed);
    assert.deepEqual(got, [
      `DELETE ${dir}/tree/olddir/f`,
      `DELETE,ISDIR ${dir}/tree/olddir`,
      `DELETE ${dir}/tree/gone`,
      `CREATE,ISDIR ${dir}/tree/a/b/c`,
      `CREATE ${dir}/tree/a/b/c/new`,
      `MODIFY ${dir}/tree/a/mod`,
    ]);
    assert.ok(second.replayed.every((e) => e.replayed === true));
    await second.close();
    const third = await run(t, state, [`${dir}/tree`], { backend });
    assert.deepEqual(third.replayed, []);
  });
}

test('replayed events sit on the watch a live event would name', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/sub/': null });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/tree`])).close();
  fs.writeFileSync(`${dir}/tree/sub/f`, '');
  const { replayed, watcher } = await run(t, state, [`${dir}/tree`]);
  assert.equal(replayed.length, 1);
  assert.equal(replayed[0].watchPath, `${dir}/tree/sub/`); // inotify watches each directory
  assert.equal(replayed[0].name, 'f');
  assert.equal(watcher.watchByWd(replayed[0].wd).path, `${dir}/tree/sub/`);
});

test('a watched file modified while stopped is replayed as MODIFY on it', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'f.conf': 'a' });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/f.conf`], { recursive: false })).close();
  fs.appendFileSync(`${dir}/f.conf`, 'b');
  const { replayed } = await run(t, state, [`${dir}/f.conf`], { recursive: false });
  assert.deepEqual(lines(replayed), [`MODIFY ${dir}/f.conf`]);
  assert.equal(replayed[0].name, '');
});

test('-e decides which kinds are replayed; close_write stands for a file written (or created) while stopped', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/m': '1', 'tree/d': '2' });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/tree`])).close();
  fs.writeFileSync(`${dir}/tree/m`, 'changed');
  fs.unlinkSync(`${dir}/tree/d`);
  fs.writeFileSync(`${dir}/tree/c`, '');
  const creates = await run(t, `${state}`, [`${dir}/tree`], { requested: IN_CREATE });
  assert.deepEqual(lines(creates.replayed), [`CREATE ${dir}/tree/c`]);
  // That run committed a new state; build the same situation again for close_write.
  await creates.close();
  fs.writeFileSync(`${dir}/tree/m`, 'changed again');
  fs.writeFileSync(`${dir}/tree/c2`, '');
  const writes = await run(t, state, [`${dir}/tree`], { requested: IN_CLOSE_WRITE });
  // A file created meanwhile was written too: for close_write it is replayed as written, not lost.
  assert.deepEqual(lines(writes.replayed).sort(), [`MODIFY ${dir}/tree/c2`, `MODIFY ${dir}/tree/m`]);
});

test('exclusions and the path filter apply to the replay; our own state file is never reported', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/skip/': null, 'tree/keep/': null });
  const state = `${dir}/tree/.state`; // inside the watched tree
  const opts = { excludeDirs: [`${dir}/tree/skip`], filter: (p) => !p.endsWith('.tmp') };
  const first = await run(t, state, [`${dir}/tree`], opts);
  await first.close();
  makeTree(dir, { 'tree/skip/x': '', 'tree/keep/y': '', 'tree/keep/z.tmp': '' });
  const second = await run(t, state, [`${dir}/tree`], opts);
  assert.deepEqual(lines(second.replayed), [`CREATE ${dir}/tree/keep/y`]);
  await second.close(); // rewrites the state file inside the tree
  const third = await run(t, state, [`${dir}/tree`], opts);
  fs.writeFileSync(`${dir}/tree/keep/live`, '');
  await waitFor('live event', () => lines(third.live).some((l) => l.endsWith('keep/live')));
  await third.since.save();
  assert.deepEqual(third.replayed, []);
  assert.deepEqual(lines(third.live).filter((l) => l.includes('.state')), []);
});

test('damaged state files: a clear error, and the file is left exactly as it was', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/f': '1', 'tree/g': '2' });
  const good = `${dir}/good`;
  await (await run(t, good, [`${dir}/tree`])).close();
  const bytes = fs.readFileSync(good);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 5] ^= 0x01; // one bit in parcel's snapshot
  const header = bytes.toString('latin1').split('\n')[1];
  const cases = {
    empty: [Buffer.alloc(0), /the file is empty/],
    'not ours': [Buffer.from('hello\nworld\n'), /not an inotifykit state file/],
    'newer format': [Buffer.from('inotifykit-since 9\n{}\n'), /is not one this version reads/],
    'bad JSON': [Buffer.from('inotifykit-since 1\n{"roots":\n'), /not valid JSON/],
    'bad header': [Buffer.from('inotifykit-since 1\n{"snapshotBackend":"brute-force","savedAt":"x","roots":[{"kind":"dir"}]}\n'), /damaged \(roots\[0\]\)/],
    truncated: [bytes.subarray(0, bytes.length - 3), /truncated/],
    'bit flip': [flipped, /fails its checksum/],
    'no snapshot': [Buffer.from(`inotifykit-since 1\n${header}\n`), /truncated/],
  };
  for (const [name, [content, message]] of Object.entries(cases)) {
    const file = `${dir}/bad-${name.replace(/ /g, '-')}`;
    fs.writeFileSync(file, content);
    const before = fs.statSync(file);
    await assert.rejects(openSince(file, [`${dir}/tree`], { recursive: true }), (err) => {
      assert.ok(err instanceof SinceStateError, name);
      assert.match(err.message, /^Corrupt state file /, name);
      assert.match(err.message, message, name);
      assert.match(err.hint, /left untouched/);
      return true;
    });
    assert.deepEqual(fs.readFileSync(file), content, `${name}: unchanged`);
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs);
  }
});

test('a root not watched this time keeps its history in the state file', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'a/': null, 'b/': null });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/a`, `${dir}/b`])).close();
  fs.writeFileSync(`${dir}/b/while-away`, '');
  const onlyA = await run(t, state, [`${dir}/a`]);
  fs.writeFileSync(`${dir}/a/live`, '');
  await waitFor('live', () => onlyA.live.length > 0);
  await onlyA.close();
  const both = await run(t, state, [`${dir}/a`, `${dir}/b`]);
  assert.deepEqual(lines(both.replayed), [`CREATE ${dir}/b/while-away`]);
  assert.deepEqual(both.since.newRoots, []);
  const fresh = await openSince(state, [`${dir}`], { recursive: true });
  assert.deepEqual(fresh.newRoots, [dir]);
  await fresh.close();
});

test('stopping after one event: other paths not output keep the older state; its own path does not', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/': null });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/tree`])).close();
  // Output stops after `one`; `two` (same batch or later) was never output: both come again.
  const r = await run(t, state, [`${dir}/tree`]);
  fs.writeFileSync(`${dir}/tree/one`, '');
  fs.writeFileSync(`${dir}/tree/two`, '');
  await waitFor('live', () => lines(r.live).some((l) => l.startsWith('CREATE') && l.endsWith('/two')));
  await r.close({ stoppedAfter: r.live.find((e) => e.name === 'one') });
  const again = await run(t, state, [`${dir}/tree`]);
  assert.deepEqual(lines(again.replayed), [`CREATE ${dir}/tree/one`, `CREATE ${dir}/tree/two`]);
  // Output stops after `three`'s CREATE; its OPEN/MODIFY/CLOSE_WRITE are the same path: state advances.
  fs.writeFileSync(`${dir}/tree/three`, 'x');
  await waitFor('three', () => lines(again.live).includes(`CLOSE_WRITE,CLOSE ${dir}/tree/three`));
  await again.close({ stoppedAfter: again.live.find((e) => e.name === 'three') });
  const last = await run(t, state, [`${dir}/tree`]);
  assert.deepEqual(last.replayed, []);
});

test('a state file that could never be written fails before watching starts', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(openSince(`${dir}/no/such/dir/state`, [dir], { recursive: true }), (err) => {
    assert.ok(err instanceof SinceSaveError);
    assert.equal(err.message, `Couldn't save state file ${dir}/no/such/dir/state: No such file or directory`);
    return true;
  });
});

test('a relative state path stays valid when the working directory changes', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/': null });
  const cwd = process.cwd();
  process.chdir(dir);
  t.after(() => process.chdir(cwd));
  const r = await run(t, 'state', [`${dir}/tree`]);
  process.chdir('/');
  await r.since.save();
  await r.close();
  assert.ok(fs.existsSync(`${dir}/state`));
  assert.deepEqual(fs.readdirSync(dir).sort(), ['state', 'tree'], 'no temp files or directories left');
});

test('inotify: the directory reads our snapshot walks cause are not reported', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/a/b/': null });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/tree`])).close();
  const r = await run(t, state, [`${dir}/tree`]); // its start walked the tree twice (snapshot, replay)
  await r.since.save(); // and once more
  fs.writeFileSync(`${dir}/tree/marker`, '');
  await waitFor('marker', () => lines(r.live).includes(`CREATE ${dir}/tree/marker`));
  assert.deepEqual(lines(r.live).filter((l) => l.includes('ISDIR')), []);
  // A directory read by someone else, outside our walks, is reported as usual.
  await r.watcher.whenDrained(); // the save's walk echoes are behind us once the reader has drained past it
  fs.readdirSync(`${dir}/tree/a`);
  await waitFor('OPEN,ISDIR', () => lines(r.live).includes(`OPEN,ISDIR ${dir}/tree/a`));
});

test('a root deleted while watched is left out of the next state; it returns as a new root', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'a/f': '', 'b/': null });
  const state = `${dir}/state`;
  await (await run(t, state, [`${dir}/a`, `${dir}/b`])).close();
  const r = await run(t, state, [`${dir}/a`, `${dir}/b`]);
  fs.rmSync(`${dir}/a`, { recursive: true });
  fs.writeFileSync(`${dir}/b/g`, '');
  await waitFor('b/g', () => lines(r.live).includes(`CREATE ${dir}/b/g`));
  await r.close(); // saves: `a` is gone
  makeTree(dir, { 'a/back': '' });
  const again = await openSince(state, [`${dir}/a`, `${dir}/b`], { recursive: true });
  assert.deepEqual(again.newRoots, [`${dir}/a`]);
  await again.close();
});
