// --backend inotify|parcel|auto: parcel reports a nested tree's changes as CREATE/MODIFY/DELETE lines and
// says at start-up what it cannot deliver; a bad name is a usage error. Without the option nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ESTABLISHED, OURS, makeTree, runToEnd, start, tempDir } from './helpers.mjs';

const NOTICE =
  'The parcel backend cannot deliver: access, close_write, close_nowrite, open, moved_from, moved_to, move_self, unmount.\n' +
  'A rename is reported as DELETE of the old name and CREATE of the new one.\n' +
  'MODIFY means "modified or attributes changed": the parcel backend cannot tell them apart.\n';

test('--backend parcel -m -r: CREATE/MODIFY/DELETE in a nested tree, and the notice first', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'tree/a/b/': null });
  const run = start(OURS, ['--backend', 'parcel', '-m', '-r', 'tree'], { cwd });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr(ESTABLISHED);
  assert.equal(run.stderr(), `${NOTICE}Setting up watches.  Beware: since -r was given, this may take a while!\n${ESTABLISHED}`);

  fs.writeFileSync(`${cwd}/tree/a/b/f`, '1');
  await run.waitStdout('tree/ CREATE a/b/f\n');
  fs.appendFileSync(`${cwd}/tree/a/b/f`, '2');
  await run.waitStdout('tree/ MODIFY a/b/f\n');
  fs.mkdirSync(`${cwd}/tree/a/new`);
  await run.waitStdout('tree/ CREATE,ISDIR a/new\n');
  fs.unlinkSync(`${cwd}/tree/a/b/f`);
  await run.waitStdout('tree/ DELETE a/b/f\n');
  run.kill('SIGTERM');
  await run.result();
  assert.equal(run.stdout().toString(), 'tree/ CREATE a/b/f\ntree/ MODIFY a/b/f\ntree/ CREATE,ISDIR a/new\ntree/ DELETE a/b/f\n');
});

test('--backend parcel: the notice names only what -e asks for; -qq hides it', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'd/': null });
  const r = await runToEnd(OURS, ['--backend', 'parcel', '-t', '1', '-e', 'create,close_write', 'd'], { cwd });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'The parcel backend cannot deliver: close_write.\nSetting up watches.\nWatches established.\n');
  const quiet = await runToEnd(OURS, ['--backend', 'parcel', '-qq', '-t', '1', '-e', 'close_write', 'd'], { cwd });
  assert.deepEqual([quiet.code, quiet.stderr], [2, '']);
});

test('--backend inotify and auto behave as without the option', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, { 'd/': null });
  for (const b of ['inotify', 'auto', 'i']) {
    const args = b === 'i' ? ['--ba=inotify'] : ['--backend', b];
    const run = start(OURS, [...args, '-e', 'create', 'd'], { cwd });
    t.after(() => run.exited() || run.kill('SIGKILL'));
    await run.waitStderr(ESTABLISHED);
    fs.writeFileSync(`${cwd}/d/${b}`, '');
    const r = await run.result();
    assert.deepEqual([r.code, r.stdout.toString(), r.stderr], [0, `d/ CREATE ${b}\n`, `Setting up watches.\n${ESTABLISHED}`], b);
  }
});

test('--backend with a bad name, and --since misuse: usage errors, exit 1, nothing watched', async (t) => {
  const cwd = tempDir(t);
  const cases = [
    [['--backend', 'bogus', '.'], "'bogus' is not a valid backend!  Please use inotify, fanotify, parcel or auto.\n"],
    [['--backend=', '.'], "'' is not a valid backend!  Please use inotify, fanotify, parcel or auto.\n"],
    [['--since', 'a', '--since', 'b', '.'], 'Multiple --since options given.\n'],
    [['--since=', '.'], '--since needs the name of a state file.\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = await runToEnd(OURS, args, { cwd });
    assert.deepEqual([r.code, r.stdout.length, r.stderr], [1, 0, stderr], args.join(' '));
  }
  assert.deepEqual(fs.readdirSync(cwd), [], 'no state file written');
});
