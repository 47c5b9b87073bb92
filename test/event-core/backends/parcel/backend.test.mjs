// The parcel backend on Linux (parcel's own inotify underneath), through the real Watcher, on real files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { IN_ATTRIB, IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MODIFY, WatchError, loadBackend } from '@inotifykit/event-core';
import { ParcelBackend } from '@inotifykit/event-core/since';
import { lines, makeTree, tempDir, waitFor, watchParcel } from './helpers.mjs';

test('create, modify and delete come as CREATE, MODIFY and DELETE with %w%f the full path', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'old.txt': 'x', 'sub/': null });
  const { events, seen } = await watchParcel(t, [root]);
  fs.writeFileSync(`${root}/sub/new.txt`, 'hello');
  await waitFor('CREATE', () => seen(`CREATE ${root}/sub/new.txt`));
  fs.appendFileSync(`${root}/old.txt`, 'more');
  await waitFor('MODIFY', () => seen(`MODIFY ${root}/old.txt`));
  fs.unlinkSync(`${root}/old.txt`);
  await waitFor('DELETE', () => seen(`DELETE ${root}/old.txt`));
  const e = events.find((ev) => ev.name === 'sub/new.txt');
  assert.equal(e.watchPath, `${root}/`, '%w is the root; %f the path below it');
  assert.equal(e.cookie, 0);
});

test('directories get ISDIR: on creation, and on deletion when their entries went with them', async (t) => {
  const root = tempDir(t);
  const { seen } = await watchParcel(t, [root]);
  fs.mkdirSync(`${root}/d`);
  await waitFor('mkdir', () => seen(`CREATE,ISDIR ${root}/d`));
  fs.writeFileSync(`${root}/d/f`, '');
  await waitFor('file in d', () => seen(`CREATE ${root}/d/f`));
  fs.rmSync(`${root}/d`, { recursive: true });
  await waitFor('rm -r', () => seen(`DELETE ${root}/d/f`) && seen(`DELETE,ISDIR ${root}/d`));
});

test('mkdir -p with a file: every level is reported and watched (parcel alone reports the top only)', async (t) => {
  const root = tempDir(t);
  const { events, seen } = await watchParcel(t, [root]);
  fs.mkdirSync(`${root}/a/b/c`, { recursive: true });
  fs.writeFileSync(`${root}/a/b/c/f`, '1');
  const want = [`CREATE,ISDIR ${root}/a`, `CREATE,ISDIR ${root}/a/b`, `CREATE,ISDIR ${root}/a/b/c`, `CREATE ${root}/a/b/c/f`];
  await waitFor('the whole chain', () => want.every(seen));
  // Later changes deep inside are seen too: those directories got a subscription of their own.
  fs.writeFileSync(`${root}/a/b/c/g`, '2');
  await waitFor('later file', () => seen(`CREATE ${root}/a/b/c/g`));
  const creates = lines(events).filter((l) => l.startsWith('CREATE'));
  assert.equal(new Set(creates).size, creates.length, `no duplicates: ${creates.join(' | ')}`);
});

test('without recursion only direct entries are reported', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'sub/': null });
  const { settle } = await watchParcel(t, [root], { recursive: false });
  fs.writeFileSync(`${root}/sub/deep`, '');
  fs.writeFileSync(`${root}/top`, '');
  const events = await settle(root);
  assert.ok(lines(events).includes(`CREATE ${root}/top`));
  assert.deepEqual(lines(events).filter((l) => l.includes('deep')), []);
});

test('@-excluded directories report nothing', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'skip/': null, 'keep/': null });
  const { settle } = await watchParcel(t, [root], { excludeDirs: [`${root}/skip`] });
  fs.writeFileSync(`${root}/skip/x`, '');
  fs.writeFileSync(`${root}/keep/y`, '');
  const events = await settle(root);
  assert.ok(lines(events).includes(`CREATE ${root}/keep/y`));
  assert.deepEqual(lines(events).filter((l) => l.includes('skip')), []);
});

test('the root removed: DELETE_SELF then IGNORED, and the watch is gone', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'w/': null });
  const { watcher, events } = await watchParcel(t, [`${root}/w`]);
  assert.equal(watcher.watchCount, 1);
  fs.rmdirSync(`${root}/w`);
  await waitFor('IGNORED', () => lines(events).includes(`IGNORED ${root}/w/`));
  assert.deepEqual(lines(events).slice(-2), [`DELETE_SELF ${root}/w/`, `IGNORED ${root}/w/`]);
  assert.equal(watcher.watchCount, 0);
});

test('a watched file: MODIFY with an empty %f, a rename-over is MODIFY, deletion DELETE_SELF + IGNORED', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'f.conf': 'a', 'other': 'b' });
  const { events, seen } = await watchParcel(t, [`${root}/f.conf`], { recursive: false });
  fs.appendFileSync(`${root}/f.conf`, 'b');
  fs.appendFileSync(`${root}/other`, 'c');
  await waitFor('MODIFY', () => seen(`MODIFY ${root}/f.conf`));
  assert.equal(events[0].name, '');
  fs.writeFileSync(`${root}/f.conf.tmp`, 'new');
  fs.renameSync(`${root}/f.conf.tmp`, `${root}/f.conf`); // an editor's atomic save
  await waitFor('second MODIFY', () => lines(events).filter((l) => l === `MODIFY ${root}/f.conf`).length === 2);
  fs.unlinkSync(`${root}/f.conf`);
  await waitFor('IGNORED', () => seen(`IGNORED ${root}/f.conf`));
  assert.ok(seen(`DELETE_SELF ${root}/f.conf`));
  assert.deepEqual(lines(events).filter((l) => l.includes('other') || l.includes('.tmp')), []);
});

test('a directory and a file in it, both watched: each event once, on the file its own watch', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'f': '', 'sub/': null });
  // The file first: its subscription must give way to the directory's (parcel shares one tree per path).
  const { events, seen, settle } = await watchParcel(t, [`${root}/f`, root]);
  fs.writeFileSync(`${root}/sub/deep`, 'x'); // proves the directory's subdirectories are watched
  fs.appendFileSync(`${root}/f`, 'x');
  await waitFor('both', () => seen(`CREATE ${root}/sub/deep`) && seen(`MODIFY ${root}/f`));
  await settle(root);
  assert.deepEqual(lines(events).filter((l) => l.endsWith('/f')), [`MODIFY ${root}/f`]);
});

test('nested roots report each change once, on the deepest root', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'in/': null });
  const { events, seen, settle } = await watchParcel(t, [root, `${root}/in`]);
  fs.writeFileSync(`${root}/in/x`, '');
  await waitFor('x', () => seen(`CREATE ${root}/in/x`));
  await settle(`${root}/in`);
  const x = events.filter((e) => e.name === 'x' || e.name === 'in/x');
  assert.equal(x.length, 1);
  assert.equal(x[0].watchPath, `${root}/in/`);
});

test('a symlinked root is watched through its target, reported under the name given', async (t) => {
  const root = tempDir(t);
  makeTree(root, { 'real/': null });
  fs.symlinkSync(`${root}/real`, `${root}/link`);
  const { seen } = await watchParcel(t, [`${root}/link`, `${root}/link/`]);
  fs.writeFileSync(`${root}/real/f`, '');
  // As inotifywait: a symlink given without '/' gets none in %w (reference Q9), hence `linkf`.
  await waitFor('via link', () => seen(`CREATE ${root}/linkf`));
});

test('a name that is not UTF-8 keeps its exact bytes', async (t) => {
  const root = tempDir(t);
  const { events } = await watchParcel(t, [root]);
  const name = Buffer.from([0x66, 0xff, 0x0a, 0x22]); // f, an invalid byte, a newline, a quote
  fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/`), name]), '');
  await waitFor('CREATE', () => events.some((e) => e.mask & IN_CREATE));
  assert.deepEqual(Buffer.from(events[0].name, 'latin1'), name);
});

test('with only attrib asked for, a chmod comes as ATTRIB; the mask is honoured', async (t) => {
  const root = tempDir(t);
  makeTree(root, { f: '', s: '' });
  const { events } = await watchParcel(t, [root], { mask: IN_ATTRIB | IN_DELETE });
  fs.chmodSync(`${root}/f`, 0o600);
  fs.writeFileSync(`${root}/g`, ''); // CREATE not asked for
  fs.rmSync(`${root}/s`); // the sentinel: everything before it has been reported once it is
  await waitFor('DELETE of the sentinel', () => lines(events).includes(`DELETE ${root}/s`));
  // One debounce batch, in parcel's order: compared as a set.
  assert.deepEqual(lines(events).sort(), [`ATTRIB ${root}/f`, `DELETE ${root}/s`]);
  assert.equal(events.find((e) => e.name === 'f').mask & (IN_MODIFY | IN_DELETE_SELF), 0);
});

test('a missing path fails at once with inotifywait\'s message; a bad one in ready()', async (t) => {
  const root = tempDir(t);
  const backend = new ParcelBackend();
  t.after(() => backend.close());
  assert.throws(() => backend.addWatch(`${root}/nope`, 0xfff), (err) => {
    assert.ok(err instanceof WatchError);
    assert.equal(err.message, `Couldn't watch ${root}/nope: No such file or directory`);
    return true;
  });
  await backend.ready(); // nothing added: nothing to wait for
});

test('@parcel/watcher is loaded only when the parcel backend is created', async () => {
  const script = `
    import { createRequire } from 'node:module';
    import { loadBackend } from './packages/event-core/dist/index.js';
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => Object.keys(cache).some((k) => k.includes('@parcel'));
    const a = await loadBackend('inotify'); const before = loaded(); await a.close();
    const b = await loadBackend('parcel'); const after = loaded(); await b.close();
    console.log(JSON.stringify([before, after]));`;
  const cwd = path.resolve(import.meta.dirname, '../../../..');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [false, true]);
  assert.equal((await loadBackend('parcel')).nativeRecursion, true);
});
