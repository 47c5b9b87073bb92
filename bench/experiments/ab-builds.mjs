// Two builds of ours side by side (A B A B …) on one measurement, to find which commit moved a figure:
//   node bench/experiments/ab-builds.mjs --a=OLD/bin/inotifywait --b=bin/inotifywait --job=burst|churn|cw [--reps=N]
// Prints each build's median (and the samples) of the figures the job measures. Root: the queue is raised.
import '../lib/cleanup.mjs';
import { parseArgs } from 'node:util';
import { burstWait } from '../lib/burst-run.mjs';
import { interleave } from '../lib/interleave.mjs';
import { Scratch } from '../lib/scratch.mjs';
import { summarize } from '../lib/stats.mjs';
import { measure as churn } from '../suites/churn.mjs';

const { values: o } = parseArgs({
  options: { a: { type: 'string' }, b: { type: 'string' }, job: { type: 'string', default: 'burst' }, reps: { type: 'string', default: '5' }, files: { type: 'string' }, cycles: { type: 'string', default: '10000' } },
});
const scratch = Scratch.create();
const tools = [
  { side: 'a', label: `A ${o.a}`, command: o.a, available: true },
  { side: 'b', label: `B ${o.b}`, command: o.b, available: true },
];
const jobs = {
  burst: { run: (t) => burstWait({ tool: t, scratch, events: 'all', files: Number(o.files ?? 166667), generators: 2, raiseQueue: true }), show: ['cpuPerEventUs', 'userMs', 'sysMs', 'wakeups', 'lost', 'peakRssMb'] },
  loss: { run: (t) => burstWait({ tool: t, scratch, events: 'all', files: Number(o.files ?? 166667), generators: 2, raiseQueue: false }), show: ['lost', 'cpuPerEventUs', 'wakeups'] },
  cw: { run: (t) => burstWait({ tool: t, scratch, events: 'close_write', files: Number(o.files ?? 500000), generators: 1, raiseQueue: true }), show: ['cpuPerEventUs', 'wakeups'] },
  churn: { run: (t) => churn(t, scratch, { cycles: Number(o.cycles), warmup: Math.max(500, Number(o.cycles) / 10) }), show: ['slopeBytes', 'growthMb', 'baseMb', 'endMb'] },
};
const job = jobs[o.job];
const res = await interleave({ tools, reps: Number(o.reps), what: o.job, run: job.run });
for (const side of ['a', 'b']) {
  const { samples, errors } = res[side];
  console.log(`${res[side].tool.label}${errors.length ? ` (errors: ${errors.join('; ')})` : ''}`);
  for (const k of job.show) {
    const xs = samples.map((s) => s[k]);
    console.log(`  ${k}: median ${summarize(xs).median?.toFixed?.(3)}  [${xs.map((x) => x.toFixed(2)).join(' ')}]`);
  }
}
scratch.dispose?.();
