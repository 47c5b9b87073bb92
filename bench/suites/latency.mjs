// Issue item 3: latency from close() in a writer to the event's line on the watcher's stdout.
// The writer is this thread; the watcher writes into a FIFO that this thread reads with a blocking read(),
// like a C reader would. Two cadences: writes a few ms apart (the watcher is idle and must be woken, as
// with real, sporadic events; on a VM this includes waking idle vCPUs) and back-to-back (each write as
// soon as the previous line arrived: the hot path alone).
import fs from 'node:fs';
import path from 'node:path';
import { contestants, startFor } from '../lib/field.mjs';
import { absoluteTarget, belowPeers, fieldRow, interleave, ratioTarget, row } from '../lib/interleave.mjs';
import { BlockingPipe } from '../lib/blocking-pipe.mjs';
import { log } from '../lib/log.mjs';
import { fmt, quantile, summarize } from '../lib/stats.mjs';
import { ToolFailure } from '../lib/watcher-process.mjs';

export const id = 'latency';
export const title = 'Latency close() → stdout';

const ARGS = ['-m', '-e', 'close_write', '--format', '%w%f %e'];
const WARMUP = 20;
const SPACING_MS = 2;
/** Lines of other events a peer may print between two of the awaited ones. */
const MAX_SKIPPED = 20;
/** A peer's writes per run stop after this long (one that debounces takes its period per write). */
const PEER_BUDGET_MS = { quick: 500, full: 2000 };
const PEER_WARMUP = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One run of `c`: `writes` files written and closed, each awaited on its line (exported for the fanotify part). */
export async function measure(c, scratch, writes, spacingMs, peerBudgetMs) {
  const job = c.jobs.latency;
  const dir = scratch.dir('latency');
  const pipe = new BlockingPipe(`${dir}.fifo`);
  const w = startFor(c, 'latency', dir, { stdout: { fd: pipe.writeFd } });
  // Ours, inotify-tools' and the floor must print exactly the line, and make every write; a peer may
  // print others on the way, and stops at its time budget.
  const peer = !['ours', 'theirs', 'floor'].includes(c.side);
  const warmup = peer ? PEER_WARMUP : WARMUP;
  let stopAt = Infinity;
  try {
    pipe.handOver(w.pid);
    await w.waitReady();
    const samples = [];
    for (let i = 0; i < warmup + writes && Date.now() < stopAt; i++) {
      if (peer && i === warmup) stopAt = Date.now() + peerBudgetMs;
      const name = path.join(dir, `w${i}`);
      let t0 = process.hrtime.bigint();
      const fd = fs.openSync(name, 'w');
      // The clock starts before the syscall that makes the contestant's event: close() for CLOSE_WRITE,
      // open() for a peer that only hears the CREATE.
      if (job.trigger !== 'create') t0 = process.hrtime.bigint();
      fs.closeSync(fd);
      const want = job.line(name);
      let got;
      for (let skipped = 0; ; skipped++) {
        got = pipe.readLine();
        if (got === null) throw new ToolFailure(`no line for a written file (exited or stalled): ${w.stderrSummary()}`);
        if (got.line === want) break;
        if (c.junk?.test(got.line) || (peer && skipped < MAX_SKIPPED)) continue;
        throw new ToolFailure(`unexpected line ${JSON.stringify(got.line)}`);
      }
      if (i >= warmup) samples.push(Number(got.at - t0) / 1000);
      if (spacingMs) await sleep(spacingMs);
    }
    samples.sort((a, b) => a - b);
    return { medianUs: quantile(samples, 0.5), p99Us: quantile(samples, 0.99), maxUs: samples[samples.length - 1], writes: samples.length };
  } finally {
    await w.stop('SIGKILL');
    pipe.close();
    scratch.remove(dir);
  }
}

export async function run(ctx) {
  const { tools, scratch, sizes, reps, quick } = ctx;
  const budget = quick ? PEER_BUDGET_MS.quick : PEER_BUDGET_MS.full;
  log(`latency: ${sizes.latencyWrites} writes, ${reps.cheap} reps`);
  const all = [...contestants(tools.field, 'latency'), tools.floor];
  const res = await interleave({
    tools: all,
    reps: reps.cheap,
    what: 'latency',
    run: (tool) => measure(tool, scratch, sizes.latencyWrites, SPACING_MS, budget),
  });
  const hot = await interleave({
    tools: all,
    reps: reps.cheap,
    what: 'latency back-to-back',
    run: (tool) => measure(tool, scratch, sizes.latencyWrites, 0, budget),
  });
  const median = (s) => s.medianUs;
  const p99 = (s) => s.p99Us;
  // Idle median against the Node floor of the same runs: what Node allows, not what C does.
  const floorMedian = () => (res.floor?.samples.length ? summarize(res.floor.samples.map(median)) : null);
  const nearFloor = {
    text: '≤ 1.2× the Node floor',
    check: (r) => {
      const f = floorMedian();
      if (!f) return null;
      const k = r.ours.median / f.median;
      return { met: k <= 1.2, by: `${fmt(r.ours.median - 1.2 * f.median)} µs (${fmt(k)}× the floor)` };
    },
  };
  const peers = belowPeers(['chokidar', 'parcel'], 'chokidar and @parcel/watcher');
  return {
    rows: [
      row({ label: `Latency close() → line on stdout, writes ${SPACING_MS} ms apart: median`, unit: 'µs', results: res, pick: median, target: nearFloor }),
      row({ label: '↳ p99', unit: 'µs', results: res, pick: p99, target: ratioTarget(2) }),
      row({ label: '↳ Node floor (bench/experiments/minimal-reader.mjs): median', unit: 'µs', results: res, pick: median, oursSide: 'floor' }),
      // The floor's tail tells what Node itself allows: a p99 target below it is out of reach for any Node reader.
      row({ label: '↳ Node floor: p99', unit: 'µs', results: res, pick: p99, oursSide: 'floor' }),
      row({ label: 'Latency, writes back-to-back: median', unit: 'µs', results: hot, pick: median, target: absoluteTarget(50, 'µs') }),
      row({ label: '↳ p99', unit: 'µs', results: hot, pick: p99, target: ratioTarget(3) }),
      row({ label: '↳ Node floor (bench/experiments/minimal-reader.mjs): median', unit: 'µs', results: hot, pick: median, oursSide: 'floor' }),
      row({ label: '↳ Node floor: p99', unit: 'µs', results: hot, pick: p99, oursSide: 'floor' }),
    ],
    notes: [],
    commands: [
      `inotifywait ${ARGS.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')} $DIR > $FIFO     # the bench reads $FIFO with blocking read()s; ${sizes.latencyWrites} writes (+${WARMUP} warm-up), ${SPACING_MS} ms apart, then back-to-back; per run: median and p99; table: median (min–max) of those over the runs; the peers likewise (${PEER_WARMUP} warm-up writes, then as many as fit in ${budget / 1000} s, at most ${sizes.latencyWrites}), each waited for on its own line for the file`,
    ],
    field: {
      jobs: ['latency'],
      rows: [
        fieldRow({ label: `Latency, writes ${SPACING_MS} ms apart: median`, unit: 'µs', results: res, pick: median, target: peers }),
        fieldRow({ label: '↳ p99', unit: 'µs', results: res, pick: p99 }),
        fieldRow({ label: 'Latency, writes back-to-back: median', unit: 'µs', results: hot, pick: median, target: peers }),
        fieldRow({ label: '↳ p99', unit: 'µs', results: hot, pick: p99 }),
        fieldRow({ label: '↳ writes measured per run (2 ms apart)', unit: '', results: res, pick: (s) => s.writes }),
      ],
    },
  };
}
