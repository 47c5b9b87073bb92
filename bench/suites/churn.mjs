// Issue item 6: RSS over many mkdir/rmdir cycles under `-m -r` (a leak in the watch table shows here), and
// the kernel watches left at the end.
import fs from 'node:fs';
import path from 'node:path';
import { interleave, row } from '../lib/interleave.mjs';
import { log } from '../lib/log.mjs';
import { inotifyWatchCount } from '../lib/proc-stats.mjs';
import { fmt } from '../lib/stats.mjs';
import { READY, ToolFailure, WatcherProcess } from '../lib/watcher-process.mjs';

export const id = 'churn';
export const title = 'Memory under directory churn';

const ARGS = ['-m', '-r', '-e', 'create,delete', '--format', '%w%f %e'];
const BATCH = 100;

async function expectLines(w, names, suffix) {
  const want = new Set(names.map((n) => `${n} ${suffix}`));
  while (want.size > 0) {
    const line = await w.lines.next(10000);
    if (line === null) throw new ToolFailure(`exited: ${w.stderrSummary()}`);
    want.delete(line);
  }
}

/** Least-squares slope of RSS (MB) over cycles: a steady leak shows as a positive slope, GC noise does not. */
function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.cycle, 0) / n;
  const my = points.reduce((a, p) => a + p.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.cycle - mx) * (p.rssMb - my);
    den += (p.cycle - mx) ** 2;
  }
  return num / den;
}

export async function measure(tool, scratch, { cycles, warmup }) {
  const root = scratch.dir('churn');
  const w = new WatcherProcess({ command: tool.command, args: [...ARGS, root], readyText: READY.inotifywait, stdout: 'pipe' });
  try {
    await w.waitReady();
    let done = 0;
    const trace = [];
    let base = null;
    while (done < warmup + cycles) {
      const names = [];
      for (let i = 0; i < BATCH; i++) names.push(path.join(root, `c${done + i}`));
      for (const n of names) fs.mkdirSync(n);
      await expectLines(w, names, 'CREATE,ISDIR');
      for (const n of names) fs.rmdirSync(n);
      await expectLines(w, names, 'DELETE,ISDIR');
      done += BATCH;
      if (done === warmup) base = w.memory();
      if (done >= warmup && (done - warmup) % Math.max(BATCH, cycles / 10) === 0) trace.push({ cycle: done - warmup, rssMb: w.memory().rssMb });
    }
    // Watches of removed directories go when their IGNORED is read: give the watcher a moment to get there.
    let watches = inotifyWatchCount(w.pid);
    for (let i = 0; i < 50 && watches !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      watches = inotifyWatchCount(w.pid);
    }
    const end = w.memory();
    return {
      growthMb: end.rssMb - base.rssMb,
      slopeBytes: slope(trace) * 1024 * 1024,
      baseMb: base.rssMb,
      endMb: end.rssMb,
      peakMb: end.peakRssMb,
      watchesLeft: watches,
    };
  } finally {
    await w.stop('SIGKILL');
    scratch.remove(root);
  }
}

export async function run(ctx) {
  const { tools, scratch, sizes, reps } = ctx;
  const cycles = sizes.churnCycles;
  // Node grows its heap over the first few hundred cycles; that is start-up, not churn.
  const warmup = Math.max(500, cycles / 10);
  log(`churn: ${cycles} mkdir/rmdir cycles (+${warmup} warm-up), ${reps.churn} reps`);
  const res = await interleave({ tools: tools.wait, reps: reps.churn, what: 'churn', run: (t) => measure(t, scratch, { cycles, warmup }) });
  // "No growth" (issue #16): a trend of at most 20 bytes per cycle (0.2 MB per 10k cycles), so GC noise
  // passes and a watch-table leak (hundreds of bytes per directory) does not.
  const flat = {
    text: '≤ 20 B/cycle',
    check: (r) => ({ met: r.ours.median <= 20, by: `${fmt(r.ours.median - 20)} B/cycle` }),
  };
  return {
    rows: [
      row({ label: `RSS trend over ${fmt(cycles)} mkdir/rmdir cycles under -m -r (least-squares slope)`, unit: 'B/cycle', results: res, pick: (s) => s.slopeBytes, target: flat }),
      row({ label: '↳ RSS growth, end − after warm-up', unit: 'MB', results: res, pick: (s) => s.growthMb }),
      row({ label: '↳ RSS after warm-up', unit: 'MB', results: res, pick: (s) => s.baseMb }),
      row({ label: '↳ kernel watches left at the end (1 = the root)', unit: '', results: res, pick: (s) => s.watchesLeft }),
    ],
    notes: [],
    commands: [
      `inotifywait ${ARGS.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')} $ROOT | (bench reads the pipe)     # batches of ${BATCH}: mkdir ×${BATCH}, wait for the CREATE lines, rmdir ×${BATCH}, wait for the DELETE lines; VmRSS sampled after ${fmt(warmup)} warm-up cycles and every ${fmt(Math.max(BATCH, cycles / 10))} cycles after`,
    ],
  };
}
