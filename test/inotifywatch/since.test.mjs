// --since STATEFILE: changes made while inotifywatch was stopped are counted at start, like live ones;
// the state is saved on exit (and on SIGUSR2); a damaged state file stops the run before any watching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { IN_CREATE, IN_DELETE, IN_ISDIR } from '@inotifykit/event-core';
import { StatsCollector } from '@inotifykit/inotifywatch';
import { OURS, makeTree, start, tempDir } from './helpers.mjs';
// The boxes expected below are drawn in a UTF-8 locale (ASCII borders otherwise: cli-kit/table-chars).
process.env.LC_ALL = 'C.UTF-8';

const READY = 'Finished establishing watches, now collecting statistics.\n';

/** One run in `cwd`: started, `act(run)` once collecting, then SIGINT; resolves with the result. */
async function runOnce(t, cwd, args, act = () => {}) {
  const run = start(OURS, args, { cwd });
  t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
  await run.ready();
  await act(run);
  run.kill('SIGINT');
  return run.result();
}

/** Polls an async condition until it holds; throws naming `what` after the deadline. */
async function until(predicate, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/**
 * Sends SIGUSR1 and resolves once the print it asks for is complete (a table ends with its bottom corner,
 * a JSON document with its newline): a wait for the print, not a pause that hopes it is done.
 */
async function printNow(run) {
  const before = run.stdout().length;
  run.kill('SIGUSR1');
  await until(async () => {
    const text = run.stdout().subarray(before).toString();
    if (text.includes('┘\n') || /^\{.*\}\n/.test(text)) return true;
    if (run.child.stdout.readableEnded) throw new Error(`the SIGUSR1 print never came; stderr: ${run.stderr()}`);
    await new Promise((r) => run.child.stdout.once('data', r).once('end', r));
    return false;
  }, 'the SIGUSR1 print');
}

/** The last JSON document a run printed. */
function lastDoc(stdout) {
  return JSON.parse(stdout.toString().trimEnd().split('\n').at(-1));
}

const TREE = { 'tree/a/b/keep': '1', 'tree/a/mod': 'old', 'tree/gone': 'x', 'tree/olddir/f': 'y', 'tree/quiet/': null };

/** While nothing watches: a create, a modify and deletes, in nested directories. */
function changeWhileStopped(cwd) {
  makeTree(cwd, { 'tree/a/b/c/new': 'n' }); // a directory and a file in it
  fs.writeFileSync(`${cwd}/tree/a/mod`, 'new content');
  fs.unlinkSync(`${cwd}/tree/gone`);
  fs.rmSync(`${cwd}/tree/olddir`, { recursive: true }); // a file and its directory
}

for (const backend of ['inotify', 'parcel']) {
  test(`--backend ${backend} --since: no replay on the first run; the next counts exactly what changed meanwhile`, async (t) => {
    const cwd = tempDir(t);
    makeTree(cwd, TREE);
    const args = ['--backend', backend, '--json', '-r', '--since', 'state', 'tree'];

    const first = await runOnce(t, cwd, args);
    assert.equal(first.code, 0);
    assert.deepEqual(lastDoc(first.stdout).rows, []);
    assert.equal(lastDoc(first.stdout).replayed, 0);
    assert.equal(fs.readFileSync(`${cwd}/state`, 'latin1').split('\n')[0], 'inotifykit-since 1', 'written on exit');

    changeWhileStopped(cwd);
    const second = await runOnce(t, cwd, args);
    assert.equal(second.code, 0);
    const doc = lastDoc(second.stdout);
    assert.equal(doc.replayed, 6);
    const rows = Object.fromEntries(doc.rows.map((r) => [r.path, { total: r.total, create: r.counts.create, modify: r.counts.modify, delete: r.counts.delete }]));
    // Counted on the watch a live event would have come from: per directory with inotify, the root with parcel.
    const expected = backend === 'inotify'
      ? {
          // gone, olddir, and olddir/f: its directory is gone, so the nearest watch above it has it.
          'tree/': { total: 3, create: 0, modify: 0, delete: 3 },
          'tree/a/': { total: 1, create: 0, modify: 1, delete: 0 }, // mod
          'tree/a/b/': { total: 1, create: 1, modify: 0, delete: 0 }, // c
          'tree/a/b/c/': { total: 1, create: 1, modify: 0, delete: 0 }, // new
        }
      : { 'tree/': { total: 6, create: 2, modify: 1, delete: 3 } };
    assert.deepEqual(rows, expected);
    assert.equal(doc.totals.total, 6);
    assert.equal(doc.totals.counts.access + doc.totals.counts.open + doc.totals.counts.close_nowrite, 0, 'our own snapshot walks are not counted');

    // Live changes count as before, and the state saved at exit covers them: the third run counts nothing.
    const third = await runOnce(t, cwd, ['--backend', backend, '--table', '-e', 'create', '-r', '--since', 'state', 'tree'], async (run) => {
      fs.writeFileSync(`${cwd}/tree/quiet/live`, '');
      await until(async () => {
        await printNow(run); // SIGUSR1 still prints
        return /│ +1 │ +1 │ .* │ tree\/(quiet\/)? +│/.test(run.stdout().toString());
      }, 'the live create counted');
    });
    assert.match(third.stdout.toString().split('\n').filter((l) => l.includes('all watches')).at(-1), /all watches, \d+\.\d s, 0 replayed/);
    const fourth = await runOnce(t, cwd, args);
    assert.equal(lastDoc(fourth.stdout).replayed, 0);
    assert.equal(lastDoc(fourth.stdout).totals.total, 0);
  });
}

test('--since: the classic table counts replayed changes like live ones, the same bytes as ever', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, TREE);
  const args = ['-r', '-e', 'create,delete', '--since', 'state', 'tree'];
  const first = await runOnce(t, cwd, args);
  assert.equal(first.stderr, `Establishing watches...\n${READY}No events occurred.\n`);
  changeWhileStopped(cwd);
  const second = await runOnce(t, cwd, args);
  assert.equal(second.stdout.toString(),
    'total  create  delete  filename\n' +
    '3      0       3       tree/\n' +
    '1      1       0       tree/a/b/c/\n' +
    '1      1       0       tree/a/b/\n');
  assert.equal(second.stderr, `Establishing watches...\n${READY}`);
});

test('--since with a damaged state file: a clear error, exit 1, nothing watched, the file untouched', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'tree/f': '1' });
  const good = await runOnce(t, cwd, ['-r', '--since', 'good', 'tree']);
  assert.equal(good.code, 0);
  const bytes = fs.readFileSync(`${cwd}/good`);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 5] ^= 0x01;
  const cases = {
    'not ours': [Buffer.from('hello\n'), 'it is not an inotifykit state file'],
    truncated: [bytes.subarray(0, bytes.length - 3), /truncated/],
    'bit flip': [flipped, /fails its checksum/],
  };
  for (const [name, [content, detail]] of Object.entries(cases)) {
    const file = `${cwd}/bad`;
    fs.writeFileSync(file, content);
    const before = fs.statSync(file);
    const r = await start(OURS, ['-r', '--since', 'bad', 'tree'], { cwd }).result();
    const [message, hint, ...rest] = r.stderr.split('\n');
    assert.ok(message.startsWith(`Corrupt state file ${fs.realpathSync(cwd)}/bad: `), `${name}: ${message}`);
    if (typeof detail === 'string') assert.ok(message.endsWith(detail), `${name}: ${message}`);
    else assert.match(message, detail, name);
    assert.match(hint, /^The file was left untouched\. Move it aside to start afresh/, name);
    assert.deepEqual(rest, [''], `${name}: nothing else, not even "Establishing watches..."`);
    assert.equal(r.stdout.length, 0, name);
    assert.equal(r.code, 1, name);
    assert.deepEqual(fs.readFileSync(file), content, `${name}: unchanged`);
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs, `${name}: not rewritten`);
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['bad', 'good', 'tree'], `${name}: no temporary files left`);
  }
  const nodir = await start(OURS, ['--since', 'nodir/state', 'tree'], { cwd }).result();
  assert.equal(nodir.stderr, `Couldn't save state file ${fs.realpathSync(cwd)}/nodir/state: No such file or directory\n`);
  assert.equal(nodir.code, 1);
});

test('--since: SIGUSR2 saves the state while collecting (after a SIGKILL only later changes count)', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'tree/': null });
  const args = ['--json', '-e', 'create', '--since', 'state', 'tree'];
  assert.equal((await runOnce(t, cwd, args)).code, 0);
  const run = start(OURS, args, { cwd });
  t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
  await run.ready();
  fs.writeFileSync(`${cwd}/tree/seen-live`, '');
  const saved = fs.statSync(`${cwd}/state`).mtimeMs;
  // A save commits once live delivery has caught up; repeat the signal until one has. The SIGUSR1 print
  // after it tells that it has been handled.
  await until(async () => {
    run.kill('SIGUSR2');
    await printNow(run);
    return fs.statSync(`${cwd}/state`).mtimeMs !== saved;
  }, 'a SIGUSR2 save');
  run.kill('SIGKILL');
  await run.result();
  fs.writeFileSync(`${cwd}/tree/made-while-stopped`, '');
  const next = await runOnce(t, cwd, [...args, '--per-file']);
  const doc = lastDoc(next.stdout);
  assert.equal(doc.replayed, 1);
  assert.deepEqual(doc.rows.map((r) => [r.path, r.counts.create]), [['tree/made-while-stopped', 1]]);
});

test('replayed events with no watch left (wd -1) count against their root, after the watches on ties', () => {
  const event = (wd, watchPath, name, mask) => ({ wd, mask, cookie: 0, name, watchPath, time: 0, synthetic: false, replayed: true });
  const c = new StatsCollector('watch');
  c.syncWatch(1, 'd/');
  c.recordReplayed([event(-1, 'gone/', 'x', IN_DELETE), event(-1, 'gone/', 'sub', IN_DELETE | IN_ISDIR), event(1, 'd/', 'y', IN_CREATE)]);
  assert.equal(c.replayed, 3);
  assert.equal(c.overflows, 0, 'not taken for a queue overflow');
  const rows = c.rows().map((r) => [r.path, r.counts.at(-1)]); // total
  assert.deepEqual(rows, [['d/', 1], ['gone/', 2]]);
  assert.ok(c.rows()[1].order > c.rows()[0].order);
  const perFile = new StatsCollector('file');
  perFile.recordReplayed([event(-1, 'gone/', 'x', IN_DELETE)]);
  assert.deepEqual(perFile.rows().map((r) => r.path), ['gone/x']);
});

test('--since on thousands of directories: the snapshot walk neither overflows the queue nor is counted', async (t) => {
  // The walk opens each directory: about eight inotify events apiece (its own watch and its parent's), so
  // this many directories overflow the queue when nothing reads it during the walk.
  const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
  if (limit > 65536) return t.skip(`max_queued_events is ${limit}: too many directories to make`);
  const cwd = tempDir(t);
  for (let i = 0; i < Math.ceil(limit / 6); i++) fs.mkdirSync(`${cwd}/tree/d${i}`, { recursive: true });
  const args = ['--json', '-r', '--since', 'state', 'tree'];
  for (const run of ['first', 'second']) {
    const r = await runOnce(t, cwd, args, async (child) => {
      fs.writeFileSync(`${cwd}/tree/d7/${run}`, '');
      await until(async () => {
        await printNow(child);
        return child.stdout().toString().includes('"path":"tree/d7/","total":');
      }, 'the live change counted');
    });
    const doc = lastDoc(r.stdout);
    assert.equal(doc.overflows, 0, run);
    // The second run may count the first file again, replayed: the exit save is skipped when the save
    // walk's echoes reach the session late (repeats are allowed, losses are not).
    assert.equal(doc.totals.counts.access + doc.totals.counts.close_nowrite, 0, `${run}: the walk is not counted`);
    assert.equal(doc.totals.counts.create, 1 + doc.replayed, run);
    assert.deepEqual(doc.rows.map((row) => row.path), ['tree/d7/'], run);
  }
});
