// New directories lose nothing under any mask, and report nothing twice (issue #14): under `-m -r -e
// close_write` (rsync's mask), `-e create,close_write` and `-e modify`,
// - the issue's check: 30 runs of `mkdir -p nI/x && echo f > nI/x/f.txt` give exactly 30 lines, one per
//   file (inotifywait 3.22.6, run beside it where installed, loses some: its count goes to the log);
// - 30 runs of `mkdir -p nI/l1/l2/l3/l4` and files written into every level at once (1,000 files in all,
//   by a shell, as a script would) give exactly one line per file.
// Every writer has closed its file by the time the lines are counted, so a second CLOSE_WRITE or MODIFY
// for a file the rescan found is a duplicate, not the "later real one" a writer still holding it makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { OURS, UPSTREAM, hasUpstream, start, tempDir, waitFor } from './helpers.mjs';

const RUNS = 30;
const LEVELS = ['', 'l1/', 'l1/l2/', 'l1/l2/l3/', 'l1/l2/l3/l4/'];
const EXPECTED = { close_write: 'CLOSE_WRITE,CLOSE', 'create,close_write': 'CLOSE_WRITE,CLOSE', modify: 'MODIFY' };

/** The files of each run: 1,000 in all, spread over the five levels. */
function plan() {
  const runs = [];
  let n = 0;
  for (let i = 1; i <= RUNS; i++) {
    const count = i <= 1000 % RUNS ? Math.ceil(1000 / RUNS) : Math.floor(1000 / RUNS);
    const files = [];
    for (let k = 0; k < count; k++) files.push(`n${i}/${LEVELS[k % LEVELS.length]}f${n++}.txt`);
    runs.push(files);
  }
  return runs;
}

/** How many times each line occurs in `out`. */
function countLines(out) {
  const counts = new Map();
  for (const line of out.split('\n')) if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

/** `-m -r -e mask` on `t/` in `dir` (which holds `t/sentinel`), once it has established its watches. */
async function startWatching(t, bin, dir, mask) {
  const run = start(bin, ['-m', '-r', '-e', mask, '--format', '%e %w%f', 't'], { cwd: dir });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr('Watches established.\n', 30000);
  return run;
}

/**
 * Every event of what was done before is out: a write to t/sentinel, twice, each awaited. An event the
 * rescan holds back (a MODIFY of a file a writer held) comes out at the idle after its writer is gone:
 * before the second write's line.
 */
async function drained(run, dir, mask) {
  const line = `${EXPECTED[mask]} t/sentinel`;
  for (let n = 1; n <= 2; n++) {
    fs.appendFileSync(`${dir}/t/sentinel`, 'x');
    await waitFor(() => (countLines(run.stdout().toString('latin1')).get(line) ?? 0) >= n, () => `${line} ×${n}`, 30000);
  }
  return countLines(run.stdout().toString('latin1'));
}

/** Runs `script` (in `dir`) under `bin -m -r -e mask t`; the line counts once everything is out. */
async function watchScript(t, bin, dir, mask, script) {
  fs.mkdirSync(`${dir}/t`);
  fs.writeFileSync(`${dir}/t/sentinel`, '');
  const run = await startWatching(t, bin, dir, mask);
  const sh = spawnSync('sh', ['-ec', script], { cwd: dir });
  assert.equal(sh.status, 0, sh.stderr.toString());
  const counts = await drained(run, dir, mask);
  run.kill('SIGTERM');
  return counts;
}

for (const mask of Object.keys(EXPECTED)) {
  test(`-m -r -e ${mask}: 30 runs of mkdir -p nI/x && echo f > nI/x/f.txt give 30 lines, one per file`, async (t) => {
    const script = Array.from({ length: RUNS }, (_, i) => `mkdir -p t/n${i + 1}/x && echo f > t/n${i + 1}/x/f.txt`).join('\n');
    const linesOf = (counts) => Array.from({ length: RUNS }, (_, i) => counts.get(`${EXPECTED[mask]} t/n${i + 1}/x/f.txt`) ?? 0);
    const ours = linesOf(await watchScript(t, OURS, tempDir(t), mask, script));
    if (hasUpstream) {
      const theirs = linesOf(await watchScript(t, UPSTREAM, tempDir(t), mask, script));
      const sum = (runs) => runs.reduce((a, b) => a + b);
      t.diagnostic(`${EXPECTED[mask]} lines for 30 files: ours ${sum(ours)}, inotifywait ${sum(theirs)}`);
    }
    assert.deepEqual(ours, Array(RUNS).fill(1), 'one line per file');
  });

  test(`-m -r -e ${mask}: every file written in a new directory tree is reported once, 30 runs of 30`, async (t) => {
    const runs = plan();
    const script = runs
      .map((files, i) => `mkdir -p t/n${i + 1}/l1/l2/l3/l4 && ${files.map((f) => `echo f > t/${f}`).join(' && ')}`)
      .join('\n');
    const counts = await watchScript(t, OURS, tempDir(t), mask, script);
    const perRun = runs.map((files) => files.filter((f) => counts.get(`${EXPECTED[mask]} t/${f}`) === 1).length);
    assert.deepEqual(perRun, runs.map((files) => files.length), 'files reported exactly once, per run');
    if (mask === 'create,close_write') {
      for (const f of runs.flat()) assert.equal(counts.get(`CREATE t/${f}`), 1, `CREATE of ${f}`);
    }
    // Nothing of our own reading, and nothing the mask did not ask for.
    for (const line of counts.keys()) {
      assert.match(line, mask === 'modify' ? /^MODIFY / : /^(CLOSE_WRITE,CLOSE|CREATE(,ISDIR)?) /, line);
    }
  });
}
