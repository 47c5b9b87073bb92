// The pure pieces, checked directly: argument parsing, {} substitution, event → trigger mapping, and the
// scheduler's bookkeeping (with runs that end when the test says so). The CLI tests cover them end to end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  IN_ATTRIB, IN_CREATE, IN_IGNORED, IN_ISDIR, IN_MODIFY, IN_MOVED_FROM, IN_Q_OVERFLOW,
} from '@inotifykit/event-core';
import { Scheduler, compileCommand, directoryOf, parseArgs, triggerMask, triggersOf } from '@inotifykit/dnotify';

describe('parseArgs: getopt\'s word rules, -e ends the options', () => {
  const cases = [
    [['-CD', 'd', '-e', 'cmd', '-C', '{}'], { kinds: ['create', 'delete'], directories: ['d'], command: ['cmd', '-C', '{}'] }],
    [['-Cp2', 'd'], { kinds: ['create'], processes: 2, directories: ['d'] }],
    [['-q', '-1', '-f', '-e', 'd'], { queueDepth: Infinity, directoryFiles: ['-e'], directories: ['d'], command: undefined }],
    [['d', '-Coecmd', 'x'], { times: 1, directories: ['d'], command: ['cmd', 'x'] }],
    [['d', '--execute=cmd', 'x'], { command: ['cmd', 'x'] }],
    [['--', '-d', '-e', 'cmd'], { directories: ['-d'], command: ['cmd'] }],
    [['--times', '3', 'd', '--queue=0'], { times: 3, queueDepth: 0 }],
    // Values are the bytes typed: quotes stay (yargs alone strips them from `--file='x'`), `=` too.
    [["--file='x'", '-f', '"y"', '--file=a=b', "'d'"], { directoryFiles: ["'x'", '"y"', 'a=b'], directories: ["'d'"] }],
    [['--silent', '--quiet', '-s', 'd'], { silent: true }],
  ];
  for (const [args, expected] of cases) {
    test(args.join(' '), () => {
      const parsed = parseArgs(args);
      const got = Object.fromEntries(Object.keys(expected).map((k) => [k, k === 'kinds' ? [...parsed.kinds] : parsed[k]]));
      assert.deepEqual(got, expected);
    });
  }
  test('-e with nothing after it, even after --, is an error', () => {
    assert.throws(() => parseArgs(['--', '-e']), { message: "option '-e' requires a command" });
  });
});

describe('parseArgs', () => {
  test('defaults', () => {
    const a = parseArgs(['d']);
    assert.deepEqual([...a.kinds], ['create', 'delete']);
    assert.equal(a.processes, 1);
    assert.equal(a.queueDepth, Infinity);
    assert.equal(a.times, undefined);
    assert.equal(a.command, undefined);
  });
  test('-a selects all six kinds; -o is -t 1; -p 0 and -1 are unlimited', () => {
    assert.equal(parseArgs(['-a', 'd']).kinds.size, 6);
    assert.equal(parseArgs(['-o', '-t', '5', 'd']).times, 1);
    assert.equal(parseArgs(['-p', '0', 'd']).processes, Infinity);
    assert.equal(parseArgs(['-p', '-1', 'd']).processes, Infinity);
    assert.equal(parseArgs(['-q0', 'd']).queueDepth, 0);
  });
  test('byte-string operands pass through unchanged', () => {
    assert.deepEqual(parseArgs(['caf\xe9', '\xff\n']).directories, ['caf\xe9', '\xff\n']);
  });
});

describe('{} substitution', () => {
  test('every occurrence, single pass, other words untouched', () => {
    const template = compileCommand(['cmd', '{}', 'a{}b{}', '{', '}']);
    assert.deepEqual(template('x{}'), ['cmd', 'x{}', 'ax{}bx{}', '{', '}']);
  });
  test('directoryOf strips the engine\'s trailing slash, keeps /', () => {
    assert.equal(directoryOf('d/'), 'd');
    assert.equal(directoryOf('/'), '/');
    assert.equal(directoryOf('link'), 'link');
  });
});

describe('triggersOf', () => {
  const ev = (mask, watchPath, name = 'f') => ({ wd: 1, mask, cookie: 0, name, watchPath, time: 0, synthetic: false });
  test('one trigger per matching event, in order; others ignored', () => {
    const mask = triggerMask(['create', 'delete']);
    const events = [ev(IN_CREATE, 'a/'), ev(IN_MODIFY, 'b/'), ev(IN_MOVED_FROM, 'c/'), ev(IN_CREATE | IN_ISDIR, 'a/')];
    assert.deepEqual(triggersOf(events, mask), { directories: ['a', 'c', 'a'], overflow: false, gone: [] });
  });
  test('overflow and ended watches are reported, not triggered', () => {
    const events = [ev(IN_Q_OVERFLOW, '', ''), ev(IN_IGNORED, 'gone/', '')];
    assert.deepEqual(triggersOf(events, triggerMask(['attrib'])), { directories: [], overflow: true, gone: ['gone'] });
    assert.equal(triggerMask(['attrib']), IN_ATTRIB);
  });
});

describe('Scheduler bookkeeping', () => {
  /** A scheduler whose runs end only when `finish(i)` is called. */
  function harness(limits) {
    const runs = [];
    const events = [];
    const scheduler = new Scheduler({ coalesce: false, times: undefined, ...limits }, {
      launch(directory) {
        let end;
        const run = { directory, argv: [directory], done: new Promise((r) => (end = r)), signal: (s) => events.push(`signal ${directory} ${s}`) };
        runs.push({ run, end });
        return run;
      },
      dropped: (directory) => events.push(`dropped ${directory}`),
      finished: (run, outcome) => events.push(`finished ${run.directory} ${outcome.code}`),
      exhausted: () => events.push('exhausted'),
    });
    const finish = async (i) => {
      runs[i].end({ kind: 'exited', code: 0 });
      await new Promise((r) => setImmediate(r));
    };
    return { scheduler, runs, events, finish };
  }

  test('-p 2 -q 1: two start, one waits, the next is dropped; the waiting one starts when a slot frees', async () => {
    const { scheduler, runs, events, finish } = harness({ processes: 2, queueDepth: 1 });
    assert.deepEqual(['a', 'b', 'c', 'd'].map((d) => scheduler.trigger(d)), ['started', 'started', 'queued', 'dropped']);
    assert.deepEqual(events, ['dropped d']);
    await finish(0);
    assert.deepEqual(runs.map((r) => r.run.directory), ['a', 'b', 'c']);
    assert.equal(scheduler.running, 2);
  });

  test('--coalesce: a waiting directory is not queued twice, a running one is', async () => {
    const { scheduler } = harness({ processes: 1, queueDepth: Infinity, coalesce: true });
    assert.deepEqual(['a', 'a', 'b', 'a', 'b'].map((d) => scheduler.trigger(d)), ['started', 'queued', 'queued', 'coalesced', 'coalesced']);
    assert.equal(scheduler.queued, 2);
  });

  test('-t 2: no more than two start; exhausted after the second finishes', async () => {
    const { scheduler, events, finish } = harness({ processes: 1, queueDepth: Infinity, times: 2 });
    assert.deepEqual(['a', 'b', 'c'].map((d) => scheduler.trigger(d)), ['started', 'queued', 'ignored']);
    await finish(0);
    await finish(1);
    assert.deepEqual(events, ['finished a 0', 'finished b 0', 'exhausted']);
  });

  test('stop(): the queue is forgotten, running runs are signalled and waited for', async () => {
    const { scheduler, events, finish } = harness({ processes: 1, queueDepth: Infinity });
    scheduler.trigger('a');
    scheduler.trigger('b');
    scheduler.stop();
    scheduler.signalAll('SIGTERM');
    let idle = false;
    void scheduler.whenIdle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(idle, false);
    await finish(0);
    assert.equal(idle, true);
    assert.deepEqual(events, ['signal a SIGTERM', 'finished a 0']);
    assert.equal(scheduler.trigger('c'), 'ignored');
  });
});
