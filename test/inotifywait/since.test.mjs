// --since STATEFILE: what changed while inotifywait was stopped is printed first, then live events; the
// state is saved on every exit (a signal included), so each change is reported once across runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ESTABLISHED, OURS, makeTree, runToEnd, start, tempDir, waitFor } from './helpers.mjs';


/** A -m run in `cwd`: started, `act(run)` once watching, then SIGINT; resolves with the result. */
async function monitorRun(t, cwd, args, act = () => {}) {
  const run = start(OURS, ['-m', ...args], { cwd });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr(ESTABLISHED);
  await act(run);
  run.kill('SIGINT');
  return run.result();
}

const TREE = { 'tree/a/b/keep': '1', 'tree/a/mod': 'old', 'tree/gone': 'x', 'tree/olddir/f': 'y', 'tree/quiet/': null };

/** While nothing watches: a create, a modify and deletes, in nested directories. */
function changeWhileStopped(cwd) {
  makeTree(cwd, { 'tree/a/b/c/new': 'n' });
  fs.writeFileSync(`${cwd}/tree/a/mod`, 'new content');
  fs.unlinkSync(`${cwd}/tree/gone`);
  fs.rmSync(`${cwd}/tree/olddir`, { recursive: true });
}

const sorted = (buf) => buf.toString('latin1').split('\n').filter(Boolean).sort();

const EXPECTED = {
  // Reported on the watch a live event would have come from: per directory with inotify, the root with parcel.
  inotify: [
    'tree/ DELETE gone', 'tree/ DELETE,ISDIR olddir', 'tree/ DELETE olddir/f', 'tree/a/ MODIFY mod',
    'tree/a/b/ CREATE,ISDIR c', 'tree/a/b/c/ CREATE new',
  ],
  parcel: [
    'tree/ CREATE a/b/c/new', 'tree/ CREATE,ISDIR a/b/c', 'tree/ DELETE gone', 'tree/ DELETE olddir/f',
    'tree/ DELETE,ISDIR olddir', 'tree/ MODIFY a/mod',
  ],
};

for (const backend of ['inotify', 'parcel']) {
  test(`--backend ${backend} --since -m -r: nothing replayed on the first run; the next prints exactly what changed meanwhile`, async (t) => {
    const cwd = tempDir(t);
    makeTree(cwd, TREE);
    const args = ['--backend', backend, '-r', '--since', 'state', 'tree'];

    const first = await monitorRun(t, cwd, args);
    // The state is saved, then the process ends by the signal, as it would without --since.
    assert.equal(first.signal, 'SIGINT');
    assert.equal(first.stdout.length, 0);
    assert.equal(fs.readFileSync(`${cwd}/state`, 'latin1').split('\n')[0], 'inotifykit-since 1', 'written on exit');

    changeWhileStopped(cwd);
    const second = await monitorRun(t, cwd, args, async (run) => {
      // Live events follow the replay as before.
      fs.writeFileSync(`${cwd}/tree/quiet/live`, '');
      await run.waitStdout('live\n');
    });
    const lines = sorted(second.stdout);
    const live = lines.filter((l) => l.endsWith('live'));
    assert.deepEqual(lines.filter((l) => !l.endsWith("live")), [...EXPECTED[backend]].sort());
    assert.ok(live.some((l) => / CREATE (quiet\/)?live$/.test(l)), live.join('\n'));
    assert.ok(!lines.some((l) => /OPEN|ACCESS|CLOSE_NOWRITE/.test(l) && !l.endsWith('live')), `our own snapshot walks are not reported:\n${lines.join('\n')}`);
    assert.ok(second.stderr.endsWith(ESTABLISHED), 'Watches established. once the replay is out');

    // The state saved at exit covers the live change too: the third run replays nothing.
    const third = await monitorRun(t, cwd, args);
    assert.equal(third.stdout.toString(), '');
  });
}

test('--since without -m: the replay is the one event (exit 0); a live event is saved as printed', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'd/f': '1' });
  const args = ['--json', '--since', 'state', 'd'];
  const first = await runToEnd(OURS, ['-t', '1', ...args], { cwd });
  assert.deepEqual([first.code, first.stdout.toString()], [2, ''], 'a timeout saves too');
  assert.ok(fs.existsSync(`${cwd}/state`));

  fs.writeFileSync(`${cwd}/d/new`, 'x');
  const second = await runToEnd(OURS, args, { cwd });
  assert.equal(second.code, 0);
  const doc = JSON.parse(second.stdout.toString());
  assert.deepEqual([doc.watch, doc.name, doc.path, doc.events, doc.replayed], ['d/', 'new', 'd/new', ['create'], true]);
  assert.equal(second.stderr, `Setting up watches.\n${ESTABLISHED}`);

  // Nothing left to replay: this run waits for a live event, prints it (not marked replayed) and saves.
  const run = start(OURS, ['-e', 'delete', ...args], { cwd });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr(ESTABLISHED);
  fs.unlinkSync(`${cwd}/d/f`);
  const third = await run.result();
  assert.equal(third.code, 0);
  const live = JSON.parse(third.stdout.toString());
  assert.deepEqual([live.name, live.events, live.replayed], ['f', ['delete'], undefined]);
  const fourth = await runToEnd(OURS, ['-t', '1', ...args], { cwd });
  assert.deepEqual([fourth.code, fourth.stdout.toString()], [2, ''], 'the printed event is not replayed again');
});

test('--since with a damaged state file: the error and hint, exit 1, nothing watched, the file untouched', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'tree/f': '1' });
  const content = Buffer.from('hello\n');
  fs.writeFileSync(`${cwd}/bad`, content);
  const before = fs.statSync(`${cwd}/bad`);
  const r = await runToEnd(OURS, ['-m', '-r', '--since', 'bad', 'tree'], { cwd });
  const [message, hint, ...rest] = r.stderr.split('\n');
  assert.equal(message, `Corrupt state file ${fs.realpathSync(cwd)}/bad: it is not an inotifykit state file`);
  assert.match(hint, /^The file was left untouched\. Move it aside to start afresh/);
  assert.deepEqual(rest, [''], 'nothing else, not even "Setting up watches."');
  assert.deepEqual([r.code, r.stdout.length], [1, 0]);
  assert.deepEqual(fs.readFileSync(`${cwd}/bad`), content);
  assert.equal(fs.statSync(`${cwd}/bad`).mtimeMs, before.mtimeMs, 'not rewritten');
  assert.deepEqual(fs.readdirSync(cwd).sort(), ['bad', 'tree'], 'no temporary files left');
});

const hasRsync = spawnSync('sh', ['-c', 'command -v rsync']).status === 0;

const SCRIPT = `
inotifywait -mrq --since "$STATE" --timefmt '%d/%m/%y %H:%M' --format '%T %f' -e close_write "$SRC" | while read date time file; do
  rsync -a "$SRC"/ "$DST"/ && echo "$date $time synced $file" >> "$LOG"
done
`;

/** The inotifywait started by the pipeline (a child of the shell), found through /proc. */
function pipelineWatcher(shellPid) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '').split(' ')[1]);
      if (ppid === shellPid && fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('inotifywait')) return Number(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

test('the seed rsync loop with --since, run twice: the second run replays exactly what changed between', { skip: !hasRsync && 'needs rsync', timeout: 30000 }, async (t) => {
  const base = tempDir(t);
  const [src, dst, log, state] = ['src', 'dst', 'sync.log', 'state'].map((n) => path.join(base, n));
  makeTree(base, { 'src/sub/old': 'o', 'src/keep': 'k', 'dst/': null });
  const env = { ...process.env, PATH: `${path.dirname(OURS)}:${process.env.PATH}`, SRC: src, DST: dst, LOG: log, STATE: state };

  const loop = async (act) => {
    const shell = start('/bin/bash', ['-c', SCRIPT], { cwd: base, env });
    t.after(() => shell.exited() || shell.kill('SIGKILL'));
    const watcher = await waitFor(() => pipelineWatcher(shell.pid), 'the inotifywait of the pipeline');
    t.after(() => { try { process.kill(watcher, 'SIGKILL'); } catch { /* gone */ } });
    await waitFor(() => fs.existsSync(state) && fs.readFileSync(`/proc/${watcher}/status`, 'latin1'), 'the state file');
    await act();
    process.kill(watcher, 'SIGTERM'); // ends the loop, after saving
    const r = await shell.result();
    assert.deepEqual([r.code, r.stderr], [0, '']);
  };
  const synced = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  await loop(async () => {
    fs.writeFileSync(`${src}/live.txt`, 'L');
    await waitFor(() => synced().length === 1, 'the live change synced');
  });
  assert.match(synced()[0], /^\d\d\/\d\d\/\d\d \d\d:\d\d synced live\.txt$/);

  // While the loop is stopped: a new file in a new directory, a modified file, a deleted one.
  makeTree(base, { 'src/new dir/n file.txt': 'N' });
  fs.writeFileSync(`${src}/sub/old`, 'changed');
  fs.unlinkSync(`${src}/keep`);
  fs.rmSync(log);
  await loop(async () => {
    await waitFor(() => synced().length === 2, 'the replayed changes synced');
  });
  // close_write replays as MODIFY on a created or modified file; deletions are not close_write.
  assert.deepEqual(synced().map((l) => l.replace(/^.* synced /, '')).sort(), ['n file.txt', 'old']);
  assert.equal(fs.readFileSync(`${dst}/new dir/n file.txt`, 'utf8'), 'N');
  assert.equal(fs.readFileSync(`${dst}/sub/old`, 'utf8'), 'changed');
  assert.equal(fs.readFileSync(`${dst}/live.txt`, 'utf8'), 'L');
});
