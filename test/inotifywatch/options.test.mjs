// Every option error (and the quirks of accepted options) against the real inotifywatch: same stderr,
// same stdout, same exit status. Then the cases where we differ on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseCommand } from '@inotifykit/inotifywatch';
import { UsageError } from '@inotifykit/cli-kit';
import { OURS, UPSTREAM, needUpstream, runToEnd, start, tempDir, upstreamIdle, waitFor } from './helpers.mjs';

/** Decided by the command line alone (parseCommand, pure): compared in-process, hundreds are cheap. */
const PARSE_ERRORS = [
  ['-x'], ['--bogus'], ['--bogus=3'], ['---x'], ['-:'], ['-vx', 'd'], ['d', '-x'],
  ['--exc', 'foo', 'd'], ['--exc=foo', 'd'], ['--e', 'access', 'd'], ['--f', 'x', 'd'], ['--in', 'x', 'd'], ['--=x'],
  ['-e'], ['-a'], ['-vt'], ['--event'], ['--t'], ['--a'], ['--zero=3', 'd'], ['--help=x'], ['-q', 'd'],
  ['-t', 'abc', 'd'], ['-t', '', 'd'], ['-t', '99999999999999999999', 'd'], ['-t', '1x', 'd'], ['-t', '0x10', 'd'],
  ['-e', 'bogus', 'd'], ['-e', 'access', '-e', 'bar', 'd'], ['-e', 'mod', 'd'], ['-e', 'bogus,', 'd'],
  ['-e', 'bogus', '--fromfile', 'a', '--fromfile', 'b'], ['--fromfile', 'a', '--fromfile', 'b', 'd'],
  ['--fromfile', 'a', '--fromfile', 'b', '-x'], ['-x', '--fromfile', 'a', '--fromfile', 'b'],
  ['-a', 'move', 'd'], ['-a', 'MOVE', 'd'], ['-a', 'close', 'd'], ['-d', 'move', '-a', 'move', 'd'],
  ['-a', 'total', '-d', 'total', 'd'], ['-a', 'total', '-a', 'foo'], ['-a', 'foo', '-a', 'total'], ['-a', 'foo', 'd'],
  ['-d', 'x', 'd'], ['-a', 'foo', '-x', 'd'], ['-x', '-a', 'foo', 'd'],
  ['-e', 'access', '-a', 'modify', 'd'], ['-e', 'access', '-a', 'modify', '-x', 'd'], ['-a', 'isdir', 'd'],
  ['-d', 'ignored', 'd'], ['-e', 'access', '-e', 'modify', '-a', 'modify', '-e', 'create', '-a', 'x', 'd'],
  ['--exclude', 'a', '--excludei', 'b', 'd'], ['--include', 'a', '--includei', 'b', 'd'],
  ['--exclude', 'a', '--include', 'b', 'd'], ['--excludei', 'a', '--includei', 'b', 'd'],
  ['--exclude', 'a', '--excludei', 'b', '--include', 'c', '--includei', 'e', 'd'],
  ['-e', 'access', '-a', 'modify', '--exclude', 'a', '--excludei', 'b', 'd'], ['-x', '--exclude', 'a', '--excludei', 'b'],
  ['-h'], ['--help'], ['d', '--help'], ['-hx'], ['-vh'], ['-e', 'bogus', '-h'], ['-h', '-e', 'bogus'],
];

/** Errors found after parsing (regex, path list, watches), and a sample of the above end to end. */
const CLI_ERRORS = [
  ['--exclude', '(', 'd'], ['--include', '(', 'd'], ['--excludei', 'a[', 'd'],
  [], ['--'], ['-t', '1'], ['-zv'], ['@d'], ['-t', '1', 'nosuch'], ['-t', '1', 'd', 'nosuch'], ['-r', 'nosuch'],
  ['--', '-x'], ['-'], ['--fromfile', 'nosuch'],
  ['-x'], ['--exc', 'foo', 'd'], ['-e', 'access', '-a', 'modify', '-x', 'd'], ['-t', '99999999999999999999', 'd'], ['--help'],
];

const normalise = (text) => text.replace(/^inotifywatch 3\.22\.6\.0.*$/m, 'inotifywatch 3.22.6.0');

/** Our --help has a section for the new options after upstream's options; the rest must match. */
function sameHelp(ours, upstream) {
  const [head, rest] = normalise(ours).split('\nOptions beyond inotify-tools:');
  const tail = rest.slice(rest.indexOf('\nExit status:'));
  return normalise(upstream) === head + tail;
}

async function both(t, args, { cwd, stdin } = {}) {
  // One after the other: with -r, one tool's start-up walk (opendir) would be events for the other.
  const ours = await runToEnd(OURS, args, { cwd, stdin });
  const upstream = await runToEnd(UPSTREAM, args, { cwd, stdin });
  if (ours.code === 1 && /^inotifywatch 3/.test(ours.stdout.toString())) {
    assert.ok(sameHelp(ours.stdout.toString(), upstream.stdout.toString()), `help text of ${args.join(' ')}`);
  } else {
    assert.equal(ours.stdout.toString('latin1'), upstream.stdout.toString('latin1'), `stdout of ${JSON.stringify(args)}`);
  }
  assert.equal(ours.stderr, upstream.stderr, `stderr of ${JSON.stringify(args)}`);
  assert.equal(ours.code, upstream.code, `exit status of ${JSON.stringify(args)}`);
  return ours;
}

test('every command-line error matches inotifywatch 3.22.6 (parsed in-process)', { skip: needUpstream }, async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  const upstream = await Promise.all(PARSE_ERRORS.map((args) => runToEnd(UPSTREAM, args, { cwd })));
  PARSE_ERRORS.forEach((args, i) => {
    const expected = upstream[i];
    assert.equal(expected.code, 1, `upstream rejects ${JSON.stringify(args)}`);
    let command;
    try {
      command = parseCommand(args);
    } catch (err) {
      assert.ok(err instanceof UsageError, `${JSON.stringify(args)}: ${err}`);
      assert.equal(`${err.text}\n`, expected.stderr, `stderr of ${JSON.stringify(args)}`);
      assert.equal(err.exitCode, 1);
      assert.equal(expected.stdout.length, 0);
      return;
    }
    assert.equal(command.kind, 'help', `${JSON.stringify(args)} is refused`);
    assert.equal(expected.stderr, '');
    assert.ok(expected.stdout.toString().startsWith('inotifywatch 3.22.6.0\n'));
  });
});

test('errors after parsing, and a sample end to end, match too', { skip: needUpstream }, async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  for (let i = 0; i < CLI_ERRORS.length; i += 10) {
    await Promise.all(CLI_ERRORS.slice(i, i + 10).map((args) => both(t, args, { cwd })));
  }
});

test('accepted options and their quirks match too', { skip: needUpstream }, async (t) => {
  const accepted = [
    ['-F', '-S', '-I', '-t', '1', 'd'] /* -I last: inotify (-F/-S act as in 4.25) */, ['-P', '-t', '1', 'd'], ['--tim', '1', '-v', 'd'], ['-t', ' +1', '-v', 'd'],
    ['-t', '4294967297', '-v', 'd'], ['-t0', '-v', '-t1', 'd'], ['--fromfile', 'nosuch', '-t', '1', 'd'], ['@', '-t', '1', 'd'],
    ['', '-t', '1', 'd'], ['-a', ',access', '-t', '1', 'd'], ['-d', 'total', '-a', 'access', '-t', '1', 'd'],
    ['-e', ',create', '-v', '-t', '1', 'd'], ['--fromfile', 'list', '-v', '-r', '-t', '1'], ['--include=', '-t', '1', 'd'],
    ['--ze', '--verb', '--rec', '-t', '1', 'd'], ['--no', '-t', '1', 'd'],
  ];
  // Each case in a directory of its own: one run's start-up reads would be events for another.
  await Promise.all(accepted.map((args) => {
    const cwd = tempDir(t);
    fs.mkdirSync(`${cwd}/d`);
    fs.writeFileSync(`${cwd}/list`, 'd\n@x\n\n@\n');
    return both(t, args, { cwd });
  }));
});

test('-t -1 means (nearly) forever in 3.22: 4294967295 seconds', { skip: needUpstream }, async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  const runs = [start(OURS, ['-v', '-t', '-1', 'd'], { cwd }), start(UPSTREAM, ['-v', '-t', '-1', 'd'], { cwd })];
  await Promise.all(runs.map((r) => r.waitStderr('Will listen for events for 4294967295 seconds.\n')));
  await waitFor(() => upstreamIdle(runs[1].pid), 'upstream idle');
  runs.forEach((r) => r.kill('SIGINT'));
  const [ours, upstream] = await Promise.all(runs.map((r) => r.result()));
  assert.equal(ours.stderr, upstream.stderr);
  assert.equal(ours.code, 0);
});

/** Our own runs (no upstream needed). */
async function ours(t, args) {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  return runToEnd(OURS, args, { cwd });
}

test('deliberate differences: keys without a counter are refused instead of crashing', async (t) => {
  const cases = [
    [['-d', 'move', 'd'], "Cannot sort by `move' event; please use `moved_from' or `moved_to'.\n"],
    [['-d', 'Close', 'd'], "Cannot sort by `close' event; please use `close_write' or `close_nowrite'.\n"],
    [['-d', 'moved_from,moved_to', 'd'], "Cannot sort by `move' event; please use `moved_from' or `moved_to'.\n"],
    [['-a', 'modify,access', 'd'], /^Cannot sort by `modify,access'; please name one event \(access, modify, .*, unmount\) or `total'\.\n$/],
    [['-a', 'all_events', 'd'], /^Cannot sort by `all_events'/],
    [['-e', 'isdir', '-a', 'isdir', 'd'], /^Cannot sort by `isdir'/],
    // -d access sorts by access now, so it must be watched like any other key.
    [['-e', 'modify', '-d', 'access', 'd'], "Can't sort by an event which isn't being watched for!\n"],
  ];
  await Promise.all(cases.map(async ([args, expected]) => {
    const r = await ours(t, args);
    assert.equal(r.code, 1, args.join(' '));
    if (typeof expected === 'string') assert.equal(r.stderr, expected);
    else assert.match(r.stderr, expected);
    assert.equal(r.stdout.length, 0);
  }));
});

test('extension options: errors, and upstream abbreviations keep their meaning', async (t) => {
  const cases = [
    [['--table', '--json', 'd'], 'Only one of --table, --json and --csv can be given.\n'],
    [['--csv', '--table', 'd'], 'Only one of --table, --json and --csv can be given.\n'],
    [['--interval', '0', 'd'], "'0' is not a valid interval.\nPlease specify a number of seconds greater than 0.\n"],
    [['--interval', 'abc', 'd'], "'abc' is not a valid interval.\nPlease specify a number of seconds greater than 0.\n"],
    [['--interval'], "inotifywatch: option '--interval' requires an argument\n"],
    [['--json=1', 'd'], "inotifywatch: option '--json' doesn't allow an argument\n"],
    // --t is still --timeout although --table exists; --ta reaches the extension.
    [['--t'], "inotifywatch: option '--timeout' requires an argument\n"],
    [['--ta', '--js'], 'Only one of --table, --json and --csv can be given.\n'],
    // Upstream's post-loop checks still come before the extensions'.
    [['-e', 'access', '-a', 'modify', '--table', '--csv', 'd'], "Can't sort by an event which isn't being watched for!\n"],
  ];
  await Promise.all(cases.map(async ([args, expected]) => {
    const r = await ours(t, args);
    assert.equal(r.stderr, expected, args.join(' '));
    assert.equal(r.code, 1);
  }));
});

test('--help: upstream text, the new options, exit status 1', async (t) => {
  const r = await ours(t, ['--help']);
  assert.equal(r.code, 1);
  const text = r.stdout.toString();
  assert.match(text, /^inotifywatch 3\.22\.6\.0 \(inotifykit [^)]+\)\nGather filesystem usage statistics using inotifywatch\.\n/);
  for (const flag of ['--per-file', '--table', '--json', '--csv', '--interval', '--live', '--rescan']) assert.ok(text.includes(flag), flag);
  assert.equal(r.stderr, '');
});

const canUnshare = spawnSync('unshare', ['-Ur', 'true']).status === 0;

test('watch and instance limits: the same messages (B26), in a user namespace of our own', { skip: (!canUnshare && 'needs unshare -Ur (user namespaces)') || needUpstream }, async (t) => {
  const cwd = tempDir(t);
  for (const sub of ['a', 'b', 'c', 'd']) fs.mkdirSync(`${cwd}/d/${sub}`, { recursive: true });
  // The limits of a user namespace are its own: lowering them affects nobody else.
  const limited = (limit, value, bin, args) => spawnSync('unshare', ['-Ur', 'sh', '-c',
    `echo ${value} > /proc/sys/user/${limit} && exec "$0" "$@"`, bin, ...args], { cwd, encoding: 'utf8' });
  for (const [limit, value, args] of [
    ['max_inotify_watches', 3, ['-r', 'd']],
    ['max_inotify_instances', 0, ['d']],
    ['max_inotify_instances', 0, []], // inotify is initialised before the path list is checked
  ]) {
    const [ours, upstream] = [limited(limit, value, OURS, args), limited(limit, value, UPSTREAM, args)];
    assert.equal(ours.stderr, upstream.stderr, `${limit}=${value} ${args.join(' ')}`);
    assert.equal(ours.status, upstream.status);
    assert.equal(ours.status, 1);
  }
});
