// -p, -q, --coalesce, -t and -o, with real child processes. Commands that must overlap or wait use file
// barriers and gates (a run waits until a file exists), never a hopeful sleep.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { caseDirs, logLines, start, touch, waitFor } from './helpers.mjs';

const caseDir = caseDirs();

/** A fresh case directory with watched subdirectories `names`. */
function setup(...names) {
  const base = caseDir(...names);
  return { base, dirs: names.map((name) => path.join(base, name)), log: path.join(base, 'log'), gate: path.join(base, 'gate') };
}

/** Highest number of runs going at once, from `start`/`end` lines in log order. */
function maxConcurrency(lines) {
  let running = 0;
  let max = 0;
  for (const line of lines) {
    if (line.startsWith('start')) max = Math.max(max, ++running);
    else if (line.startsWith('end')) running--;
  }
  return max;
}

/** Highest number of overlapping [start, end] intervals, from the recorded nanosecond times per pid. */
function maxOverlap(lines) {
  const runs = new Map();
  for (const line of lines) {
    const [what, pid, ns] = line.split(' ');
    const run = runs.get(pid) ?? {};
    run[what] = BigInt(ns);
    runs.set(pid, run);
  }
  const points = [...runs.values()].flatMap((r) => [[r.start, 1], [r.end, -1]]);
  points.sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1));
  let running = 0;
  let max = 0;
  for (const [, delta] of points) max = Math.max(max, (running += delta));
  return max;
}

/**
 * A run: logs `start PID NS`, waits until BARRIER runs have started (so runs that may overlap do), stays a
 * little longer so a run over the limit would overlap, then logs `end PID NS`.
 */
const TIMED_RUN = [
  'sh', '-c',
  'echo "start $$ $(date +%s%N)" >> "$LOG"; ' +
  'while [ "$(grep -c ^start "$LOG")" -lt "$BARRIER" ]; do sleep 0.01; done; ' +
  'sleep 0.15; echo "end $$ $(date +%s%N)" >> "$LOG"',
  'sh', '{}',
];

/** A run that logs `start DIR`, waits for $GATE to exist, then logs `end DIR`. */
const GATED_RUN = [
  'sh', '-c',
  'echo "start $1" >> "$LOG"; while [ ! -e "$GATE" ]; do sleep 0.01; done; echo "end $1" >> "$LOG"',
  'sh', '{}',
];

const starts = (log) => logLines(log).filter((l) => l.startsWith('start')).map((l) => l.slice(6));

/**
 * Runs dnotify with `options` on a fresh directory with TIMED_RUN (runs wait for `barrier` runs to have
 * started), makes `changes` new files in it, and resolves with its exit code, stderr and the log lines.
 */
async function timedRuns(options, barrier, changes, timeoutMs) {
  const { dirs: [w], log } = setup('w');
  const proc = start([...options, w, '-e', ...TIMED_RUN], { env: { LOG: log, BARRIER: String(barrier) } });
  await proc.ready();
  for (let i = 0; i < changes; i++) touch(path.join(w, `f${i}`));
  const { code } = await proc.finished(timeoutMs);
  return { code, stderr: proc.stderr(), lines: logLines(log) };
}

/**
 * Starts dnotify with `options` on fresh directories `names` with GATED_RUN, and resolves once a change in
 * the first has started a run, which holds on until the gate file exists: meanwhile changes queue up.
 */
async function gatedFirstRun(options, names) {
  const { dirs, log, gate } = setup(...names);
  const proc = start([...options, ...dirs, '-e', ...GATED_RUN], { env: { LOG: log, GATE: gate } });
  await proc.ready(dirs.length);
  touch(path.join(dirs[0], 'x'));
  await waitFor(() => starts(log).length === 1, 'the first run to start');
  return { proc, dirs, log, gate };
}

/**
 * After a drop warning, opens the gate and, once `waiting(number of runs started)` says the waiting runs
 * have begun, makes a last change in the first directory; resolves with dnotify's exit code.
 */
async function openGateAfterDrop({ proc, dirs: [first], log, gate }, waiting, what) {
  await waitFor(() => proc.stderr().includes('dropped'), 'the drop warning');
  touch(gate);
  await waitFor(() => waiting(starts(log).length), what);
  touch(path.join(first, 'y'));
  return (await proc.finished()).code;
}

describe('-p: concurrent commands', () => {
  test('-p 2 runs two commands at once and never three', async () => {
    const { code, stderr, lines } = await timedRuns(['-p', '2', '-t', '6'], 2, 6, 15000);
    assert.equal(code, 0, stderr);
    assert.equal(lines.filter((l) => l.startsWith('start')).length, 6);
    assert.equal(lines.filter((l) => l.startsWith('end')).length, 6);
    assert.equal(maxConcurrency(lines), 2);
    assert.equal(maxOverlap(lines), 2);
  });

  test('default -p 1 runs one at a time', async () => {
    const { code, stderr, lines } = await timedRuns(['-t', '3'], 1, 3, 15000);
    assert.equal(code, 0, stderr);
    assert.equal(maxConcurrency(lines), 1);
    assert.equal(maxOverlap(lines), 1);
  });

  for (const unlimited of ['0', '-1']) {
    test(`-p ${unlimited} has no limit: four runs overlap`, async () => {
      // Each run waits for all four to have started: with any limit below four this would never finish.
      const { code, stderr, lines } = await timedRuns(['-p', unlimited, '-t', '4'], 4, 4, 15000);
      assert.equal(code, 0, stderr);
      assert.equal(maxConcurrency(lines), 4);
    });
  }
});

describe('-q: the waiting queue', () => {
  test('-q 0 drops a change while a command runs, with a warning', async () => {
    const { proc, dirs: [a, b, c], log, gate } = await gatedFirstRun(['-q', '0', '-t', '2'], ['a', 'b', 'c']);
    touch(path.join(b, 'x')); // busy and no room to wait: dropped
    await waitFor(() => proc.stderr().includes(`change in '${b}' dropped`), 'the drop warning');
    touch(gate);
    await waitFor(() => logLines(log).includes(`end ${a}`), 'the first run to end');
    // Until dnotify has reaped the first run, a change in c is dropped too; keep changing c until it runs.
    for (let i = 0; starts(log).length < 2; i++) {
      touch(path.join(c, `x${i}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await proc.finished()).code, 0);
    assert.deepEqual(starts(log), [a, c]);
    assert.match(proc.stderr(), new RegExp(`^dnotify: queue full \\(0 waiting\\), change in '${b}' dropped$`, 'm'));
  });

  // With -t, changes beyond what the budget can still run are ignored, not dropped; the counts below leave
  // room for one more run, made at the end by a last change in `a`.
  test('-q 1 lets one change wait and drops the next', async () => {
    const first = await gatedFirstRun(['-q', '1', '-t', '3'], ['a', 'b', 'c']);
    const { proc, dirs: [a, b, c], log } = first;
    touch(path.join(b, 'x')); // waits
    touch(path.join(c, 'x')); // queue full: dropped
    assert.equal(await openGateAfterDrop(first, (n) => n === 2, 'the waiting run to start'), 0);
    assert.deepEqual(starts(log), [a, b, a]);
    assert.equal(proc.stderr(), `dnotify: queue full (1 waiting), change in '${c}' dropped\n`);
  });

  test('--coalesce queues a directory once while it waits', async () => {
    const first = await gatedFirstRun(['--coalesce', '-q', '2', '-t', '4'], ['a', 'b', 'c', 'd']);
    const { proc, dirs: [a, b, c, d], log } = first;
    for (const name of ['x', 'y', 'z']) touch(path.join(b, name)); // one queue entry
    touch(path.join(c, 'x')); // the second entry
    touch(path.join(d, 'x')); // queue full (2): dropped — and proves the earlier ones were handled
    assert.equal(await openGateAfterDrop(first, (n) => n >= 2, 'the first waiting run to start'), 0);
    assert.deepEqual(starts(log), [a, b, c, a]);
    assert.equal(proc.stderr(), `dnotify: queue full (2 waiting), change in '${d}' dropped\n`);
  });

  test('without --coalesce the same directory waits once per change', async () => {
    const first = await gatedFirstRun(['-q', '2', '-t', '4'], ['a', 'b', 'c']);
    const { proc, dirs: [a, b, c], log } = first;
    for (const name of ['x', 'y']) touch(path.join(b, name));
    touch(path.join(c, 'x'));
    assert.equal(await openGateAfterDrop(first, (n) => n >= 2, 'the first waiting run to start'), 0);
    assert.deepEqual(starts(log), [a, b, b, a]);
    assert.equal(proc.stderr(), `dnotify: queue full (2 waiting), change in '${c}' dropped\n`);
  });

  test('with -t, changes that could never run are ignored without a warning', async () => {
    const { proc, dirs: [a, b], log, gate } = await gatedFirstRun(['-q', '0', '-t', '1'], ['a', 'b']);
    touch(path.join(b, 'x'));
    touch(gate);
    assert.equal((await proc.finished()).code, 0);
    assert.deepEqual(starts(log), [a]);
    assert.equal(proc.stderr(), '');
  });
});

describe('-t and -o: a bounded number of runs', () => {
  test('-t 3 exits 0 after three finished runs, however many changes came', async () => {
    const { code, stderr, lines: atExit } = await timedRuns(['-t', '3'], 1, 5);
    assert.equal(code, 0, stderr);
    assert.equal(atExit.filter((l) => l.startsWith('start')).length, 3);
    assert.equal(atExit.filter((l) => l.startsWith('end')).length, 3, 'every run finished before dnotify exited');
    assert.equal(stderr, '');
  });

  test('-t 3 with -p 2 starts three runs and waits for all of them', async () => {
    const { code, stderr, lines: atExit } = await timedRuns(['-p', '2', '-t', '3'], 2, 5);
    assert.equal(code, 0, stderr);
    assert.equal(atExit.filter((l) => l.startsWith('start')).length, 3);
    assert.equal(atExit.filter((l) => l.startsWith('end')).length, 3);
  });

  for (const once of ['-o', '--once']) {
    test(`${once} runs the command once and exits 0`, async () => {
      const { code, stderr, lines } = await timedRuns([once], 1, 3);
      assert.equal(code, 0, stderr);
      assert.equal(lines.filter((l) => l.startsWith('start')).length, 1);
    });
  }
});
