/**
 * From watches established to the exit status: single-event or `-m` mode, `-t`, printing only the
 * requested events, one write per batch, and the exit codes (0 requested event or done, 1 unrequested
 * event or read error, 2 timeout).
 */
import type { ByteString } from '@inotifykit/event-core/bytes';
import type { OutputSink } from '@inotifykit/event-core/cli/stdout-sink';
import type { InotifyEvent } from '@inotifykit/event-core/event';
import type { EventMask } from '@inotifykit/event-core/mask';
import { IN_Q_OVERFLOW } from '@inotifykit/event-core/mask';
import type { Watcher } from '@inotifykit/event-core/watcher';
import type { Diagnostics } from './diagnostics.js';
import type { EventRenderer } from './render.js';

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
}

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
    const finish = (code: number) => {
      if (done) return;
      done = true;
      timer.stop();
      void c.sink.drain().then(() => resolve(code));
    };
    const timer = new InactivityTimer(c.timeout * 1000, () => finish(EXIT_TIMEOUT));

    const warnOverflow = (events: readonly InotifyEvent[]) => {
      if (!c.overflowWarning) return;
      for (const e of events) if (e.mask & IN_Q_OVERFLOW) c.diagnostics.report(c.overflowWarning());
    };

    const single = (events: InotifyEvent[]): void | Promise<void> => {
      const first = events[0];
      if (!first) return timer.restart(); // everything read was filtered out: the wait starts again
      warnOverflow([first]);
      if ((first.mask & c.requested) === 0) return finish(EXIT_FAILURE);
      const written = c.silent ? undefined : c.sink.write(Buffer.from(c.render(first), 'latin1'));
      if (written) return written.then(() => finish(EXIT_SUCCESS));
      finish(EXIT_SUCCESS);
    };

    const monitor = (events: InotifyEvent[]): void | Promise<void> => {
      warnOverflow(events);
      let out: ByteString = '';
      if (!c.silent) for (const e of events) if (e.mask & c.requested) out += c.render(e);
      const written = out === '' ? undefined : c.sink.write(Buffer.from(out, 'latin1'));
      const after = () => {
        if (c.exitOnUnwatched && c.watcher.watchCount === 0) finish(EXIT_SUCCESS);
        else timer.restart();
      };
      if (written) return written.then(after);
      after();
    };

    c.watcher.start({
      batch: (events, info) => {
        if (done) return;
        timer.stop(); // anything read, even filtered, restarts -t (inotifywait re-arms its select)
        if (info.read === 0 && events.length === 0) return timer.restart();
        return c.monitor ? monitor(events) : single(events);
      },
      warning: (err) => c.diagnostics.report(err.message),
      error: (err) => {
        c.diagnostics.report(err.message);
        finish(EXIT_FAILURE);
      },
    });
    timer.restart();
  });
}
