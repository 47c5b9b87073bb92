// --backend: the option itself, and inotifywatch counting through the parcel backend (one row per root,
// a notice of what it cannot deliver).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseCommand } from '@inotifykit/inotifywatch';
import { UsageError } from '@inotifykit/cli-kit';
import { OURS, makeTree, start, tempDir, waitFor } from './helpers.mjs';

const ESTABLISHING = 'Establishing watches...\n';
const READY = 'Finished establishing watches, now collecting statistics.\n';

test('--backend and --since parse with the package getopt; unique prefixes; bad values are usage errors', () => {
  const options = (args) => parseCommand(args).options;
  assert.equal(options(['d']).backend, 'auto');
  assert.equal(options(['d']).since, undefined);
  for (const b of ['inotify', 'parcel', 'auto']) assert.equal(options(['--backend', b, 'd']).backend, b);
  // No inotify-tools long option starts with b or s: the shortest prefixes are ours (`--b` is also
  // --by-process's).
  assert.throws(() => options(['--b', 'parcel', 'd']), /option '--b' is ambiguous; possibilities: '--backend' '--by-process'/);
  assert.equal(options(['--ba=parcel', 'd']).backend, 'parcel');
  assert.equal(options(['--backend', 'inotify', '--backend', 'parcel', 'd']).backend, 'parcel', 'the last one wins');
  assert.equal(options(['--s', 'st', 'd']).since, 'st');
  assert.equal(options(['d', '--si=st']).since, 'st');
  // The upstream abbreviations keep their meaning.
  assert.equal(options(['--t', '5', 'd']).timeout, 5);
  const refused = {
    'backend parcelx': [['--backend', 'parcelx', 'd'], "'parcelx' is not a valid backend!  Please use inotify, fanotify, parcel or auto."],
    'backend PARCEL': [['--backend', 'PARCEL', 'd'], "'PARCEL' is not a valid backend!  Please use inotify, fanotify, parcel or auto."],
    'backend without a value': [['d', '--backend'], "inotifywatch: option '--backend' requires an argument"],
    'since twice': [['--since', 'a', '--since', 'b', 'd'], 'Multiple --since options given.'],
    'since empty': [['--since', '', 'd'], '--since needs the name of a state file.'],
    'since without a value': [['d', '--since'], "inotifywatch: option '--since' requires an argument"],
  };
  for (const [name, [args, text]] of Object.entries(refused)) {
    assert.throws(() => parseCommand(args), (err) => err instanceof UsageError && err.text === text && err.exitCode === 1, name);
  }
});

test('--help lists --backend and --since among the new options', async (t) => {
  const r = await start(OURS, ['--help'], { cwd: tempDir(t) }).result();
  const text = r.stdout.toString();
  const extensions = text.slice(text.indexOf('Options beyond inotify-tools:'), text.indexOf('Exit status:'));
  assert.match(extensions, /\t--backend inotify\|fanotify\|parcel\|auto\n/);
  assert.match(extensions, /\t--since <file>\n/);
  assert.equal(r.code, 1);
});

/** Starts ours in a fresh directory holding `tree` (paths → content, null = directory). */
async function startIn(t, args, tree) {
  const cwd = tempDir(t);
  makeTree(cwd, tree);
  const run = start(OURS, args, { cwd });
  t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
  await run.ready();
  return { run, cwd };
}

/** Waits until a print (here: one of the --interval prints) shows exactly `table`. */
function waitTable(run, table) {
  return waitFor(() => `\n${run.stdout().toString()}`.includes(`\n${table}\n`), `the table\n${table}\ngot:\n${run.stdout()}`);
}

test('--backend parcel: creates, modifies and deletes anywhere in a tree count against its root', async (t) => {
  const { run, cwd } = await startIn(t, ['--backend', 'parcel', '-r', '-z', '-e', 'create,modify,delete', '--interval', '0.05', 'a', 'b'], {
    a: null, 'b/sub/old': 'o',
  });
  const header = 'total  modify  create  delete  filename\n';
  // (No table until something is counted: upstream prints `No events occurred.` instead, even with -z.)
  // Each step waits for its counts: parcel merges what happens to one path within a batch.
  fs.closeSync(fs.openSync(`${cwd}/a/x`, 'wx'));
  fs.mkdirSync(`${cwd}/b/sub/n`);
  fs.closeSync(fs.openSync(`${cwd}/b/sub/n/y`, 'wx'));
  await waitTable(run, `${header}2      0       2       0       b/\n1      0       1       0       a/`);
  fs.appendFileSync(`${cwd}/a/x`, 'data');
  // Not b/sub/n/y: under load the parcel backend sometimes misses a change to a file created right after
  // its directory (an event-core race, reported); this test is about where inotifywatch counts.
  fs.appendFileSync(`${cwd}/b/sub/old`, 'data');
  await waitTable(run, `${header}3      1       2       0       b/\n2      1       1       0       a/`);
  fs.unlinkSync(`${cwd}/b/sub/n/y`);
  fs.rmdirSync(`${cwd}/b/sub/n`);
  fs.unlinkSync(`${cwd}/a/x`);
  await waitTable(run, `${header}5      1       2       2       b/\n3      1       1       1       a/`);
  run.kill('SIGINT');
  const r = await run.result();
  assert.equal(r.code, 0);
  const prints = r.stdout.toString().split('\n\n');
  assert.equal(prints.at(-1), `${header}5      1       2       2       b/\n3      1       1       1       a/\n`, 'the final print: one row per root');
  // Asked for create, modify and delete only: nothing it cannot deliver, but modify is broader.
  assert.equal(r.stderr, `MODIFY also reports attribute changes: the parcel backend cannot tell them apart.\n${ESTABLISHING}${READY}`);
});

test('--backend parcel names what it cannot deliver of the watched set, before establishing watches', async (t) => {
  const cases = [
    [[], 'The parcel backend cannot deliver: access, close_write, close_nowrite, open, moved_from, moved_to, move_self.\n' +
      'A rename is reported as DELETE of the old name and CREATE of the new one.\n' +
      'MODIFY means "modified or attributes changed": the parcel backend cannot tell them apart.\n'],
    [['-e', 'attrib,move,unmount'], 'The parcel backend cannot deliver: moved_from, moved_to, unmount.\n' +
      'A rename is reported as DELETE of the old name and CREATE of the new one.\n' +
      'ATTRIB means "attributes changed or modified": the parcel backend cannot tell them apart.\n'],
    [['-e', 'create,delete'], ''],
  ];
  await Promise.all(cases.map(async ([events, notice]) => {
    const { run } = await startIn(t, ['--backend', 'parcel', ...events, 'd'], { d: null });
    run.kill('SIGINT');
    const r = await run.result();
    assert.equal(r.stderr, `${notice}${ESTABLISHING}${READY}No events occurred.\n`, events.join(' '));
    assert.equal(r.code, 0);
  }));
});

test('--backend inotify is the default: no notice, a row per watched directory', async (t) => {
  const { run, cwd } = await startIn(t, ['--backend', 'inotify', '-r', '-e', 'create', 'd'], { 'd/sub': null });
  fs.closeSync(fs.openSync(`${cwd}/d/sub/f`, 'wx'));
  run.kill('SIGINT');
  const r = await run.result();
  assert.equal(r.stdout.toString(), 'total  create  filename\n1      1       d/sub/\n');
  assert.equal(r.stderr, `${ESTABLISHING}${READY}`);
});

test('--backend parcel: a path that cannot be watched fails as with inotify', async (t) => {
  const r = await start(OURS, ['--backend', 'parcel', '-e', 'create,delete', '-r', 'nosuch'], { cwd: tempDir(t) }).result();
  assert.equal(r.stderr, `${ESTABLISHING}Failed to watch nosuch: No such file or directory\n`);
  assert.equal(r.code, 1);
});
