/**
 * From watches established to the exit status: single-event or `-m` mode, `-t`, printing only the
 * requested events, one write per batch, and the exit codes (0 requested event or done, 1 unrequested
 * event or read error, 2 timeout).
 *
 * With `--since`, the changes made while nothing watched are printed first (without -m they count as the
 * one event), and every exit saves the state file: after a read error it keeps the older state, a failed
 * save is the exit status, and SIGINT/SIGTERM/SIGHUP save and then end the process by that signal.
 */
import type { OutputSink } from '@inotifykit/cli-kit';
import type { InotifyEvent } from '@inotifykit/event-core';
import type { EventMask } from '@inotifykit/event-core';
import { IN_Q_OVERFLOW } from '@inotifykit/event-core';
import type { Watcher } from '@inotifykit/event-core';
import { errorLines, inheritedIgnoredSignals } from '@inotifykit/cli-kit';
import { errorBytes, InotifyKitError } from '@inotifykit/event-core';
import type { SinceSession } from '@inotifykit/event-core/since';
import type { Diagnostics } from '../diagnostics.js';
import type { EventRenderer } from '../render.js';
import { startWithSince } from '@inotifykit/event-core';
import { asBytes, fromText } from '@inotifykit/event-core';

export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
export const EXIT_TIMEOUT = 2;

export interface EventLoopConfig {
  readonly watcher: Watcher;
  readonly sink: OutputSink;
  readonly render: EventRenderer;
  /** The events the user asked for (`-e`, default IN_ALL_EVENTS): only these are printed. */
  readonly requested: EventMask;
  readonly monitor: boolean;
  /** `-qq`: print no events. */
  readonly silent: boolean;
  /** Seconds of inactivity before exit 2; 0 = none. */
  readonly timeout: number;
  readonly exitOnUnwatched: boolean;
  readonly diagnostics: Diagnostics;
  /** The overflow line, or undefined when disabled. */
  readonly overflowWarning: (() => string) | undefined;
  /** `--since`: replays before `announce`, saves at every exit. */
  readonly since?: SinceSession;
  /** `-e` as given (0: all), for the replay. */
  readonly asked: EventMask;
  /** `Watches established.` and the ready line: once the loop is about to read live events. */
  readonly announce: () => void;
}

/** How a run ends: the status, and what the `--since` state may then cover. */
interface Ending {
  /** The live event printed before exiting (without -m): later ones for other paths keep the older state. */
  readonly stoppedAfter?: InotifyEvent;
  /** False after a read error: events may have been lost, the next run replays them. */
  readonly save?: boolean;
  /** Ended by this signal: after the save the process ends by it, as it would have without `--since`. */
  readonly signal?: NodeJS.Signals;
}

/** The first size of the buffer batches are rendered into (it doubles while a batch does not fit). */
const SCRATCH_BYTES = 64 * 1024;

const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** setTimeout is limited to 2^31-1 ms; `-t` may be up to 2^32-1 s. */
class InactivityTimer {
  #handle: NodeJS.Timeout | undefined;
  constructor(
    readonly ms: number,
    readonly onExpire: () => void,
  ) {}
  restart(): void {
    this.stop();
    if (this.ms > 0) this.#schedule(Date.now() + this.ms);
  }
  stop(): void {
    if (this.#handle) clearTimeout(this.#handle);
    this.#handle = undefined;
  }
  #schedule(deadline: number): void {
    const left = deadline - Date.now();
    if (left <= 0) return this.onExpire();
    this.#handle = setTimeout(() => this.#schedule(deadline), Math.min(left, 2 ** 31 - 1));
  }
}

export function runEventLoop(c: EventLoopConfig): Promise<number> {
  return new Promise((resolve) => {
    let done = false;
    const stopSignals: Array<() => void> = [];
    const finish = (code: number, ending: Ending = {}) => {
      if (done) return;
      done = true;
      timer.stop();
      for (const stop of stopSignals) stop();
      void c.sink.drain().then(async () => {
        const status = c.since ? await closeSince(c, code, ending) : code;
        if (ending.signal) process.kill(process.pid, ending.signal); // our handler is gone: the default acts
        resolve(status);
      });
    };
    const timer = new InactivityTimer(c.timeout * 1000, () => finish(EXIT_TIMEOUT));

    const warnOverflow = (events: readonly InotifyEvent[]) => {
      if (!c.overflowWarning) return;
      for (const e of events) if (e.mask & IN_Q_OVERFLOW) c.diagnostics.report(asBytes(c.overflowWarning()));
    };

    const single = (events: InotifyEvent[]): void | Promise<void> => {
      const first = events[0];
      if (!first) return timer.restart(); // everything read was filtered out: the wait starts again
      warnOverflow([first]);
      if ((first.mask & c.requested) === 0) return finish(EXIT_FAILURE);
      const written = c.silent ? undefined : c.sink.write(Buffer.from(c.render(first), 'latin1'));
      if (written) return written.then(() => finish(EXIT_SUCCESS, { stoppedAfter: first }));
      finish(EXIT_SUCCESS, { stoppedAfter: first });
    };

    /**
     * The printed events of a batch in one write: rendered into a buffer kept for the next batch (unless
     * the sink still holds it: a write that did not complete at once), or as one string without `write`.
     */
    let scratch: Buffer | undefined;
    const writeBatch = (events: readonly InotifyEvent[]): void | Promise<void> => {
      const write = c.render.write;
      if (!write) {
        let out = '';
        for (const e of events) if (e.mask & c.requested) out += c.render(e);
        return out === '' ? undefined : c.sink.write(Buffer.from(out, 'latin1'));
      }
      let buf = (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES));
      let pos = 0;
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if ((e.mask & c.requested) === 0) continue;
        let end = write(e, buf, pos);
        while (end < 0) {
          const larger = Buffer.allocUnsafeSlow(buf.length * 2);
          buf.copy(larger, 0, 0, pos);
          scratch = buf = larger;
          end = write(e, buf, pos);
        }
        pos = end;
      }
      if (pos === 0) return;
      const written = c.sink.write(buf.subarray(0, pos));
      if (written) scratch = undefined; // still being written: the next batch gets a buffer of its own
      return written;
    };

    const monitor = (events: InotifyEvent[]): void | Promise<void> => {
      warnOverflow(events);
      const written = c.silent ? undefined : writeBatch(events);
      const after = () => {
        if (c.exitOnUnwatched && c.watcher.watchCount === 0) finish(EXIT_SUCCESS);
        else timer.restart();
      };
      if (written) return written.then(after);
      after();
    };

    const batch = (events: InotifyEvent[], info: { read: number }): void | Promise<void> => {
      if (done) return;
      timer.stop(); // anything read, even filtered, restarts -t (inotifywait re-arms its select)
      if (info.read === 0 && events.length === 0) return timer.restart();
      return c.monitor ? monitor(events) : single(events);
    };
    const handlers = {
      warning: (err: Error) => c.diagnostics.report(errorBytes(err)),
      error: (err: Error) => {
        c.diagnostics.report(errorBytes(err));
        finish(EXIT_FAILURE, { save: false });
      },
    };

    if (!c.since) {
      c.announce();
      c.watcher.start({ batch, ...handlers });
      timer.restart();
      return;
    }
    const since = c.since;
    // A signal the parent left ignored stays ignored (keepInheritedIgnores): no save-and-exit for it.
    const ignored = inheritedIgnoredSignals();
    for (const signal of ENDING_SIGNALS) {
      if (ignored.has(signal)) continue;
      const onSignal = () => finish(EXIT_SUCCESS, { signal });
      process.on(signal, onSignal);
      stopSignals.push(() => process.off(signal, onSignal));
    }
    let replayed = 0;
    // Replayed events are already limited to the -e set (and the path filters): all of them are printed.
    const replay = (events: InotifyEvent[]): void | Promise<void> => {
      replayed = events.length;
      if (c.silent || events.length === 0) return;
      return c.sink.write(Buffer.from(events.map(c.render).join(''), 'latin1'));
    };
    startWithSince(c.watcher, since, { replay, live: batch, ...handlers }).then(
      () => {
        if (done) return; // reading failed meanwhile
        c.announce();
        if (replayed > 0 && !c.monitor) return finish(EXIT_SUCCESS); // the replay was the one event
        timer.restart();
      },
      (err: unknown) => {
        if (err instanceof InotifyKitError) for (const line of errorLines(err)) c.diagnostics.report(line);
        else c.diagnostics.report(fromText(err instanceof Error ? err.message : String(err)));
        finish(err instanceof InotifyKitError ? err.exitCode : EXIT_FAILURE, { save: false });
      },
    );
  });
}

/**
 * The last save (a failure is reported and is the exit status), then the watcher closes: it kept reading
 * meanwhile, so that events that arrived unprinted keep the older state.
 */
async function closeSince(c: EventLoopConfig, code: number, ending: Ending): Promise<number> {
  try {
    await c.since!.close({ stoppedAfter: ending.stoppedAfter, save: ending.save ?? true });
    return code;
  } catch (err) {
    if (!(err instanceof InotifyKitError)) throw err;
    for (const line of errorLines(err)) c.diagnostics.report(line);
    return err.exitCode;
  } finally {
    await c.watcher.close();
  }
}
