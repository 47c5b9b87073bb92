// Issue item 3: latency from close() in a writer to the event's line on the watcher's stdout.
// The writer is this thread; the watcher writes into a FIFO that this thread reads with a blocking read(),
// like a C reader would. Two cadences: writes a few ms apart (the watcher is idle and must be woken, as
// with real, sporadic events; on a VM this includes waking idle vCPUs) and back-to-back (each write as
// soon as the previous line arrived: the hot path alone).
import fs from 'node:fs';
import path from 'node:path';
import { interleave, absoluteTarget, row } from '../lib/interleave.mjs';
import { BlockingPipe } from '../lib/blocking-pipe.mjs';
import { log } from '../lib/log.mjs';
import { quantile } from '../lib/stats.mjs';
import { READY, ToolFailure, WatcherProcess } from '../lib/watcher-process.mjs';

export const id = 'latency';
export const title = 'Latency close() → stdout';

const ARGS = ['-m', '-e', 'close_write', '--format', '%w%f %e'];
const WARMUP = 20;
const SPACING_MS = 2;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(tool, scratch, writes, spacingMs) {
  const dir = scratch.dir('latency');
  const pipe = new BlockingPipe(`${dir}.fifo`);
  const w = new WatcherProcess({ command: tool.command, args: [...ARGS, dir], readyText: READY.inotifywait, stdout: { fd: pipe.writeFd } });
  try {
    pipe.handOver(w.pid);
    await w.waitReady();
    const samples = [];
    for (let i = 0; i < WARMUP + writes; i++) {
      const name = path.join(dir, `w${i}`);
      const fd = fs.openSync(name, 'w');
      const t0 = process.hrtime.bigint();
      fs.closeSync(fd);
      const got = pipe.readLine();
      if (got === null) throw new ToolFailure(`no line for a close_write (exited or stalled): ${w.stderrSummary()}`);
      if (got.line !== `${name} CLOSE_WRITE,CLOSE`) throw new ToolFailure(`unexpected line ${JSON.stringify(got.line)}`);
      if (i >= WARMUP) samples.push(Number(got.at - t0) / 1000);
      if (spacingMs) await sleep(spacingMs);
    }
    samples.sort((a, b) => a - b);
    return { medianUs: quantile(samples, 0.5), p99Us: quantile(samples, 0.99), maxUs: samples[samples.length - 1] };
  } finally {
    await w.stop('SIGKILL');
    pipe.close();
    scratch.remove(dir);
  }
}

export async function run(ctx) {
  const { tools, scratch, sizes, reps } = ctx;
  log(`latency: ${sizes.latencyWrites} writes, ${reps.cheap} reps`);
  const res = await interleave({
    tools: [...tools.wait, tools.floor],
    reps: reps.cheap,
    what: 'latency',
    run: (tool) => measure(tool, scratch, sizes.latencyWrites, SPACING_MS),
  });
  const hot = await interleave({
    tools: [...tools.wait, tools.floor],
    reps: reps.cheap,
    what: 'latency back-to-back',
    run: (tool) => measure(tool, scratch, sizes.latencyWrites, 0),
  });
  return {
    rows: [
      row({ label: `Latency close() → line on stdout, writes ${SPACING_MS} ms apart: median`, unit: 'µs', results: res, pick: (s) => s.medianUs, target: absoluteTarget(50, 'µs') }),
      row({ label: '↳ p99', unit: 'µs', results: res, pick: (s) => s.p99Us }),
      row({ label: '↳ Node floor (bench/experiments/minimal-reader.mjs): median', unit: 'µs', results: res, pick: (s) => s.medianUs, oursSide: 'floor' }),
      row({ label: 'Latency, writes back-to-back: median', unit: 'µs', results: hot, pick: (s) => s.medianUs, target: absoluteTarget(50, 'µs') }),
      row({ label: '↳ p99', unit: 'µs', results: hot, pick: (s) => s.p99Us }),
      row({ label: '↳ Node floor (bench/experiments/minimal-reader.mjs): median', unit: 'µs', results: hot, pick: (s) => s.medianUs, oursSide: 'floor' }),
    ],
    notes: [],
    commands: [
      `inotifywait ${ARGS.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')} $DIR > $FIFO     # the bench reads $FIFO with blocking read()s; ${sizes.latencyWrites} writes (+${WARMUP} warm-up), ${SPACING_MS} ms apart, then back-to-back; per run: median and p99; table: median (min–max) of those over the runs`,
    ],
  };
}
