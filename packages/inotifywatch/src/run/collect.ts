/**
 * The collecting phase: count every delivered event, print on SIGUSR1 and every `--interval`, and on
 * SIGINT/SIGTERM/SIGHUP or when `-t` expires print the final statistics and resolve with exit status 0.
 * Each print first reads what the kernel has queued, so it covers every event that happened before it.
 */
import { isatty } from 'node:tty';
import type { ByteString, Watcher } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core/bytes';
import type { OutputSink } from '@inotifykit/event-core/cli/stdout-sink';
import type { InotifywatchOptions } from '../args/options.js';
import { loadRenderer } from '../render/render.js';
import { StatsCollector } from '../stats/collector.js';
import { takeSnapshot } from '../stats/snapshot.js';
import type { SignalPhases } from './signals.js';
import { startTimer } from './timer.js';

/** Home the cursor and clear the screen, for `--live` on a terminal. */
const REDRAW = '\x1b[H\x1b[2J';

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
}

export function collectStatistics(ctx: CollectContext): Promise<number> {
  const { watcher, options, stdout, writeErr } = ctx;
  const collector = new StatsCollector(options.perFile ? 'file' : 'watch');
  const redraw = options.live && isatty(stdout.fd);
  const started = performance.now();
  let frozen = false;
  let output: Promise<void> = Promise.resolve();

  const snapshot = () => {
    watcher.flush(); // the kernel queue to the end: the print covers every event before it
    for (const watch of watcher.watches()) collector.syncWatch(watch.wd, watch.path);
    const elapsed = (performance.now() - started) / 1000;
    return takeSnapshot(collector.rows(), options, elapsed, collector.overflows, collector.mode);
  };
  const renderer = loadRenderer(options.format);
  const print = (interim: boolean): Promise<void> => {
    const taken = snapshot();
    // Prints are queued, so a slow reader never sees two of them interleaved.
    output = output.then(async () => {
      const printout = (await renderer)(taken, interim && !redraw);
      if (printout.stderr) writeErr(printout.stderr);
      return stdout.write(toBuffer((redraw ? REDRAW : '') + printout.stdout));
    });
    return output;
  };

  return new Promise<number>((resolve) => {
    const stops: Array<() => void> = [];
    const end = (status: number, finalPrint: boolean) => {
      if (frozen) return;
      ctx.signals.ending();
      for (const stop of stops) stop();
      const done = finalPrint ? print(false) : output;
      frozen = true;
      void done.then(() => stdout.drain()).then(() => resolve(status));
    };
    watcher.start({
      batch(events) {
        if (frozen) return;
        // Synthetic CREATEs (a new directory's existing entries) count only with --rescan.
        for (const event of events) if (!event.synthetic || options.rescan) collector.record(event);
      },
      warning(err) {
        writeErr(`${err.message}\n`);
      },
      error(err) {
        writeErr(`${err.message}\n`);
        end(1, false);
      },
    });
    ctx.signals.collecting({ finish: () => end(0, true), snapshot: () => void print(true) });
    ctx.announce();
    if (options.timeout > 0) stops.push(startTimer(options.timeout, false, () => end(0, true)));
    if (options.interval !== undefined) stops.push(startTimer(options.interval, true, () => void print(true)));
  });
}
