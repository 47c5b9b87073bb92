/**
 * The main-thread reading loop of the kernel backends (inotify, fanotify): read the non-blocking fd until
 * EAGAIN, handing each read's records to the sink (and waiting when it asks to), then poll() on
 * [fd, wake eventfd] on koffi's worker thread. No thread ever blocks in read() (Node could then not exit),
 * and stop() wakes the poll through the eventfd.
 *
 * During a burst the loop naps a millisecond instead of polling at once, so that the next read finds a
 * large batch: each wake-up costs tens of µs (poll thread, hand-off to the main thread), and waking per
 * handful of events spends more on waking than on the events. A lone event still goes straight back to
 * poll(), keeping latency at its floor.
 */
import type { BackendSink } from './backend.js';
import type { RawEvent } from '../model/event.js';
import type { SystemError } from '../model/errors.js';
import { monotonicMs } from '../engine/clock.js';
import { EAGAIN, EINTR, type Wake, errno as lastErrno, pollAsync } from '@inotifykit/sys';

/** A drain that read at least this many records means a burst is under way: nap before the next read. */
export const BURST_RECORDS = 256;
/** Several records less than this long after the previous drain (a fast trickle) get the same nap. */
export const TRICKLE_MS = 1;
export const BURST_NAP_MS = 1;

export interface DrainSource {
  /** One read() of the fd into the backend's buffer: bytes read, 0 at end of file, < 0 with errno set. */
  read(): number;
  /** The records of the `n` bytes just read (done before the next read: the buffer is reused). */
  decode(n: number): RawEvent[];
  /** A read() that returned `n` (0: end of file; below 0: `errno`) as the error the sink gets. */
  readError(n: number, errno: number): SystemError;
  /** Asked before each read: true when something else takes the reading over (the loop then ends). */
  handOver?(): boolean;
  /** The queue was read to the end, just before the sink hears idle(); `records`: how many this drain read. */
  beforeIdle?(records: number): void;
  /** The same, just after idle(). */
  afterIdle?(records: number): void;
}

export class DrainLoop {
  readonly #pollFds: Buffer;
  readonly #wake: Wake;
  readonly #source: DrainSource;
  #sink: BackendSink | undefined;
  #polling = false;
  #nap: NodeJS.Timeout | undefined;
  #lastDrainAt = 0;
  #stopped = false;
  #pollDone: (() => void) | undefined;

  /** `pollFds`: [fd, wake.fd], both POLLIN (wakePair()). */
  constructor(pollFds: Buffer, wake: Wake, source: DrainSource) {
    this.#pollFds = pollFds;
    this.#wake = wake;
    this.#source = source;
  }

  start(sink: BackendSink): void {
    this.#sink = sink;
    void this.#drain();
  }

  /** Ends the loop; resolves once no poll() is pending (then the fds may be closed). */
  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#nap);
    if (!this.#polling) return Promise.resolve();
    const done = new Promise<void>((resolve) => (this.#pollDone = resolve));
    this.#wake.signal();
    return done;
  }

  /** Reads until EAGAIN, handing each read to the sink (and waiting when it asks to), then naps or polls. */
  async #drain(): Promise<void> {
    const sink = this.#sink!;
    const source = this.#source;
    const startedAt = monotonicMs();
    const sincePrevious = startedAt - this.#lastDrainAt;
    this.#lastDrainAt = startedAt;
    let count = 0;
    for (;;) {
      if (this.#stopped) return;
      if (source.handOver?.()) return;
      const n = source.read();
      if (n > 0) {
        const records = source.decode(n);
        if (records.length === 0) continue;
        count += records.length;
        const pending = sink.records(records);
        // Read again even after a short read: handling these records may itself have queued more
        // (reading a new directory does), and idle() must mean the queue is empty.
        if (pending) await pending;
        continue;
      }
      const errno = n < 0 ? lastErrno() : 0;
      if (n < 0 && errno === EINTR) continue;
      if (n < 0 && errno === EAGAIN) break;
      sink.error(source.readError(n, errno));
      return;
    }
    source.beforeIdle?.(count);
    sink.idle();
    source.afterIdle?.(count);
    if (this.#stopped) return;
    if (count >= BURST_RECORDS || (count > 1 && sincePrevious < TRICKLE_MS)) {
      this.#nap = setTimeout(() => {
        this.#nap = undefined;
        void this.#drain();
      }, BURST_NAP_MS);
    } else {
      this.#poll();
    }
  }

  #poll(): void {
    this.#polling = true;
    pollAsync(this.#pollFds, 2, -1, () => {
      this.#polling = false;
      if (this.#stopped) return this.#pollDone?.();
      void this.#drain();
    });
  }
}
