// One watcher run under a burst of generated files: the building block of the CPU, drain, loss and
// inotifywatch measurements.
import fs from 'node:fs';
import path from 'node:path';
import { EVENTS_PER_FILE, prepareBurst } from './load.mjs';
import { raiseQueue } from './inotify-sysctl.mjs';
import { FileLineCounter, READY, ToolFailure, WatcherProcess, waitDrained } from './watcher-process.mjs';
import { parseWatchTable } from './tools.mjs';
import { cpuDelta } from './proc-stats.mjs';
import { pathOfLine, startFor } from './field.mjs';

/** A watcher still busy this long after the load is reported as failing rather than waited for. */
const DRAIN_DEADLINE_MS = 90000;

/** Queue size used when a run asks for a raised queue: the whole burst fits. */
export const raisedQueueSize = (events) => Math.max(1 << 20, 2 * events);

/** `inotifywait` arguments for a burst run (the watched dir is appended). */
export function waitArgs(events) {
  return ['-m', '--format', '%w%f %e', ...(events === 'close_write' ? ['-e', 'close_write'] : [])];
}

/** Runs whose queue could not be raised (not root): they run at the default size, and the doc says so. */
export const queueNotRaised = { count: 0 };

async function startRaised(opts, raise, events) {
  const restore = raise ? raiseQueue(raisedQueueSize(events)) : null;
  if (raise && !restore) queueNotRaised.count++;
  const w = typeof opts === 'function' ? opts() : new WatcherProcess(opts);
  try {
    await w.waitReady();
  } finally {
    restore?.();
  }
  return w;
}

/**
 * inotifywait under a burst.
 * @param {object} o
 * @param {import('./tools.mjs').Tool} o.tool
 * @param {import('./scratch.mjs').Scratch} o.scratch
 * @param {'all'|'close_write'} o.events which events are watched (decides events per file)
 * @param {number} o.files files to create
 * @param {number} o.generators generator processes
 * @param {boolean} o.raiseQueue raise max_queued_events so nothing can be lost
 * @param {boolean} [o.stopped] SIGSTOP the watcher while the queue fills, measure the drain after SIGCONT
 * @param {boolean} [o.countFiles] also count the distinct files its lines name (`filesSeen`); a
 *   contestant that exits during the run (fswatch and fsnotifywait give up on a queue overflow) then
 *   yields a sample with what it reported before, and `exited` (its last stderr line)
 *
 * With all events, `tool` may be any contestant with a `burst` job (field.mjs): it prints its own lines,
 * `linesPerFile` of them per file (unknown: drained once it is idle).
 */
export async function burstWait({ tool, scratch, events, files, generators, raiseQueue: raise, stopped = false, countFiles = false }) {
  const dir = scratch.dir('burst');
  const out = path.join(scratch.root, `out-${path.basename(dir)}.txt`);
  const generated = files * EVENTS_PER_FILE[events];
  const job = events === 'all' ? tool.jobs?.burst : null;
  const expected = job ? files * (job.linesPerFile ?? Infinity) : generated;
  const w = await startRaised(
    job
      ? () => startFor(tool, 'burst', dir, { stdout: { file: out } })
      : { command: tool.command, args: [...waitArgs(events), dir], readyText: READY.inotifywait, stdout: { file: out } },
    raise,
    generated,
  );
  try {
    const burst = await prepareBurst({ dir, files, processes: generators });
    if (stopped) w.signal('SIGSTOP');
    const cpu0 = stopped ? w.cpu() : w.cpuAtReady;
    const switches0 = w.memAtReady?.voluntarySwitches ?? NaN;
    const gen = await burst.go();
    const t0 = process.hrtime.bigint();
    if (stopped) w.signal('SIGCONT');
    const counter = new FileLineCounter(out);
    const drained = await waitDrained(w, { count: () => counter.count(), expected, deadlineMs: DRAIN_DEADLINE_MS });
    if (drained.exited) await w.exit;
    const exited = drained.exited ? `${w.stderrSummary()} (exit ${w.exitStatus})` : null;
    if (exited && !countFiles) throw new ToolFailure(`exited during the run: ${exited}`);
    if (drained.timedOut) throw new ToolFailure(`still busy ${DRAIN_DEADLINE_MS / 1000} s after the load (${drained.count} of ${expected} lines)`);
    const mem = w.memory();
    const cpu = exited ? { totalMs: NaN, userMs: NaN, sysMs: NaN } : cpuDelta(cpu0, drained.cpu);
    return {
      exited,
      // Ours says so on stderr (inotify-tools' fsnotifywait exits instead).
      overflowed: w.stderr.includes('overflowed'),
      generated,
      printed: drained.count,
      lost: Number.isFinite(expected) ? expected - drained.count : NaN,
      filesSeen: countFiles ? filesNamed(tool, out, dir) : NaN,
      files,
      cpuPerGeneratedEventUs: (cpu.totalMs * 1000) / generated,
      cpuMs: cpu.totalMs,
      userMs: cpu.userMs,
      sysMs: cpu.sysMs,
      cpuPerEventUs: (cpu.totalMs * 1000) / Math.max(1, drained.count),
      wakeups: (mem?.voluntarySwitches ?? NaN) - switches0,
      genWallMs: gen.wallMs,
      drainWallMs: Number(drained.doneAt - t0) / 1e6,
      peakRssMb: mem?.peakRssMb ?? NaN,
    };
  } finally {
    await w.stop('SIGKILL');
    scratch.reset();
  }
}

/** The distinct files under `dir` that the lines in `out` name (junk lines skipped). */
function filesNamed(tool, out, dir) {
  const prefix = `${dir}/`;
  const seen = new Set();
  for (const line of fs.readFileSync(out, 'latin1').split('\n')) {
    const p = line && pathOfLine(tool, line);
    if (p && p.startsWith(prefix) && p.length > prefix.length) seen.add(p);
  }
  return seen.size;
}

/** inotifywatch (all events) under a burst; the table is read after SIGINT and checked against the load. */
export async function burstWatch({ tool, scratch, files, generators, raiseQueue: raise }) {
  const dir = scratch.dir('burst');
  const expected = files * EVENTS_PER_FILE.all;
  const w = await startRaised({ command: tool.command, args: [dir], readyText: READY.inotifywatch, stdout: 'pipe' }, raise, expected);
  try {
    const burst = await prepareBurst({ dir, files, processes: generators });
    const gen = await burst.go();
    // No output to count: drained means the watcher has gone idle.
    const drained = await waitDrained(w, { quietMs: 700, deadlineMs: DRAIN_DEADLINE_MS });
    if (drained.exited) {
      await w.exit;
      throw new ToolFailure(`exited during the run: ${w.stderrSummary()} (exit ${w.exitStatus})`);
    }
    if (drained.timedOut) throw new ToolFailure(`still busy ${DRAIN_DEADLINE_MS / 1000} s after the load`);
    const mem = w.memory();
    const cpu = cpuDelta(w.cpuAtReady, drained.cpu);
    const table = [];
    const reading = (async () => {
      for (let l; (l = await w.lines.next(10000)) !== null; ) table.push(l);
    })();
    await w.stop('SIGINT', 10000);
    await reading.catch(() => {});
    const row = parseWatchTable(table.join('\n')).get(`${dir}/`);
    if (!row) throw new ToolFailure(`no row for the watched directory in the table: ${JSON.stringify(table.slice(0, 2))}`);
    const exact = row.total === expected && row.create === files && row.open === files && row.close_write === files;
    return {
      generated: expected,
      counted: row.total,
      exact,
      countsText: `total ${row.total}, create ${row.create}, open ${row.open}, close_write ${row.close_write}`,
      cpuMs: cpu.totalMs,
      userMs: cpu.userMs,
      sysMs: cpu.sysMs,
      cpuPerEventUs: (cpu.totalMs * 1000) / expected,
      genWallMs: gen.wallMs,
      peakRssMb: mem?.peakRssMb ?? NaN,
    };
  } finally {
    await w.stop('SIGKILL');
    scratch.reset();
  }
}
