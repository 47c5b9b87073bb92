/**
 * The collecting phase: count every delivered event, print on SIGUSR1 and every `--interval`, and on
 * SIGINT/SIGTERM/SIGHUP or when `-t` expires print the final statistics and resolve with exit status 0.
 * Each print first reads what the kernel has queued, so it covers every event that happened before it.
 *
 * With `--since`, the changes made while nothing watched are counted first (before `Finished establishing
 * watches…`), and the final print is followed by the last save of the state file.
 */
import { createRequire } from 'node:module';
import type { ByteString, EventMask, InotifyEvent, Watch, Watcher } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';
import { errorBytes, InotifyKitError } from '@inotifykit/event-core';
import { errorText, type OutputSink } from '@inotifykit/cli-kit';
import type { SinceSession } from '@inotifykit/event-core/since';
import { monotonicMs } from '@inotifykit/event-core';
import type { InotifywatchOptions } from '../args/options.js';
import { loadRenderer } from '../render/render.js';
import { StatsCollector } from '../stats/collector.js';
import { takeSnapshot } from '../stats/snapshot.js';
import type { SignalPhases } from './signals.js';
import { startWithSince } from '@inotifykit/event-core';
import { startTimer } from './timer.js';
import { asBytes } from '@inotifykit/event-core';

/** Home the cursor and clear the screen, for `--live` on a terminal. */
const REDRAW = '\x1b[H\x1b[2J';


/**
 * node:tty is loaded only for --live: it loads net and the streams (~30 built-in modules, several ms of
 * the start-up before `Finished establishing`).
 */
function isatty(fd: number): boolean {
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

export interface CollectContext {
  readonly watcher: Watcher;
  readonly options: InotifywatchOptions;
  readonly stdout: OutputSink;
  readonly signals: SignalPhases;
  readonly writeErr: (text: ByteString) => void;
  /**
   * Prints the "now collecting" lines. Called once the collecting signal handlers are in place, so a
   * script that signals as soon as it reads `Finished establishing watches…` always gets the table.
   */
  readonly announce: () => void;
  /** `--since`: replays at start, saves at the end. */
  readonly since?: SinceSession;
  /**
   * How long events may still be on their way when the final print is due: 0 for inotify (the print reads
   * the kernel queue to the end), a short wait for parcel, which delivers in batches some time later.
   */
  readonly settleMs: number;
}

export async function collectStatistics(ctx: CollectContext): Promise<number> {
  const { watcher, options, stdout, writeErr, since } = ctx;
  const collector = new StatsCollector(
    options.byProcess ? 'process' : options.perFile ? 'file' : watcher.backendName === 'fanotify' ? 'dir' : 'watch',
  );
  const redraw = options.live && isatty(stdout.fd);
  let started = monotonicMs();
  let frozen = false;
  let ending = false;
  let output: Promise<void> = Promise.resolve();
  let finished!: (status: number) => void;
  const result = new Promise<number>((resolve) => (finished = resolve));
  const stops: Array<() => void> = [];

  const snapshot = () => {
    watcher.flush(); // the kernel queue to the end: the print covers every event before it
    for (const watch of watcher.watches()) collector.syncWatch(watch.wd, watch.path);
    const elapsed = (monotonicMs() - started) / 1000;
    const replayed = since ? collector.replayed : undefined;
    return takeSnapshot(collector.rows(), options, elapsed, collector.overflows, collector.mode, replayed);
  };
  const renderer = loadRenderer(options.format);
  const print = (interim: boolean): Promise<void> => {
    const taken = snapshot();
    // Prints are queued, so a slow reader never sees two of them interleaved.
    output = output.then(async () => {
      const printout = (await renderer)(taken, interim && !redraw);
      if (printout.stderr) writeErr(printout.stderr);
      return stdout.write(toBuffer(asBytes((redraw ? REDRAW : '') + printout.stdout)));
    });
    return output;
  };
  const end = async (status: number, finalPrint: boolean) => {
    if (ending) return;
    ending = true;
    ctx.signals.ending();
    for (const stop of stops) stop();
    if (finalPrint && ctx.settleMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.settleMs));
    const done = finalPrint ? print(false) : output;
    frozen = true;
    // At once, so that the session knows which events were counted. After a read error events may have
    // been lost: the state file keeps the older state, and the next run replays them.
    const saved = status === 0 ? since?.close() : undefined;
    saved?.catch(() => undefined); // reported by finishSince, once the print is out
    await done;
    await stdout.drain();
    finished(await finishSince(saved, status, watcher, writeErr));
  };

  const live = (events: InotifyEvent[]): void => {
    if (frozen) return;
    // Synthetic CREATEs (a new directory's existing entries) count only with --rescan.
    for (const event of events) if (!event.synthetic || options.rescan) collector.record(event);
  };
  // A row per watch needs no names: the engine hands most events over as watch and mask (no objects).
  const tally =
    collector.mode === 'watch'
      ? (watch: Watch, mask: EventMask): void => {
          if (!frozen) collector.tally(watch.wd, watch.path, mask);
        }
      : undefined;
  const handlers = {
    warning(err: InotifyKitError) {
      writeErr(asBytes(`${err.messageBytes}\n`));
    },
    error(err: Error) {
      writeErr(asBytes(`${errorBytes(err)}\n`));
      void end(1, false);
    },
  };
  if (since) {
    // Replayed events are already limited to the -e set; they count like live ones.
    await startWithSince(watcher, since, { replay: (events) => collector.recordReplayed(events), live, ...handlers });
    if (ending) return result; // reading failed meanwhile
    started = monotonicMs(); // collection time starts after the replay
  } else {
    watcher.start({ batch: live, tally, ...handlers });
  }
  ctx.signals.collecting({ finish: () => void end(0, true), snapshot: () => void print(true) });
  ctx.announce();
  if (options.timeout > 0) stops.push(startTimer(options.timeout, false, () => void end(0, true)));
  if (options.interval !== undefined) stops.push(startTimer(options.interval, true, () => void print(true)));
  return result;
}

/**
 * Waits for the last save (a failure is reported, and is the exit status), then closes the watcher, which
 * kept reading meanwhile so that late events could keep the older state.
 */
async function finishSince(
  saved: Promise<void> | undefined,
  status: number,
  watcher: Watcher,
  writeErr: (text: ByteString) => void,
): Promise<number> {
  try {
    await saved;
    return status;
  } catch (err) {
    if (!(err instanceof InotifyKitError)) throw err;
    writeErr(errorText(err));
    return err.exitCode;
  } finally {
    if (saved) await watcher.close();
  }
}
