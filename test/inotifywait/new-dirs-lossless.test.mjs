// New directories lose nothing under any mask (issue #14): under `-m -r -e close_write` (rsync's mask),
// `-e create,close_write` and `-e modify`, 30 runs of `mkdir -p nI/l1/l2/l3/l4` and files written into
// every level at once (1,000 files in all, by a shell, as a script would) report every file, in every run.
// inotifywait 3.22.6 loses some of them each time (what is made before its watch exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { OURS, start, tempDir, waitFor } from './helpers.mjs';

const RUNS = 30;
const LEVELS = ['', 'l1/', 'l1/l2/', 'l1/l2/l3/', 'l1/l2/l3/l4/'];

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

const EXPECTED = { close_write: 'CLOSE_WRITE,CLOSE', 'create,close_write': 'CLOSE_WRITE,CLOSE', modify: 'MODIFY' };

for (const mask of Object.keys(EXPECTED)) {
  test(`-m -r -e ${mask}: every file written in a new directory tree is reported, 30 runs of 30`, async (t) => {
    const dir = tempDir(t);
    fs.mkdirSync(`${dir}/t`);
    const run = start(OURS, ['-m', '-r', '-e', mask, '--format', '%e %w%f', 't'], { cwd: dir });
    t.after(() => run.exited() || run.kill('SIGKILL'));
    await run.waitStderr('Watches established.\n', 30000);
    const runs = plan();
    const script = runs
      .map((files, i) => `mkdir -p t/n${i + 1}/l1/l2/l3/l4 && ${files.map((f) => `echo f > t/${f}`).join(' && ')}`)
      .join('\n');
    const sh = spawnSync('sh', ['-ec', script], { cwd: dir });
    assert.equal(sh.status, 0, sh.stderr.toString());
    const seen = () => {
      const lines = new Set(run.stdout().toString('latin1').split('\n'));
      return runs.map((files) => files.filter((f) => lines.has(`${EXPECTED[mask]} t/${f}`)).length);
    };
    await waitFor(() => seen().every((n, i) => n === runs[i].length), () => `every file; per run: ${seen().join(' ')}`, 30000);
    const out = run.stdout().toString('latin1');
    if (mask === 'create,close_write') {
      for (const f of runs.flat()) assert.ok(out.includes(`CREATE t/${f}\n`), `CREATE of ${f}`);
    }
    // Nothing of our own reading, and nothing the mask did not ask for.
    for (const line of out.split('\n').filter(Boolean)) {
      assert.match(line, mask === 'modify' ? /^MODIFY / : /^(CLOSE_WRITE,CLOSE|CREATE(,ISDIR)?) /, line);
    }
  });
}
