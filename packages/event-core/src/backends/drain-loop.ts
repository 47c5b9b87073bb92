/**
 * The main thread's reading loop, one for every backend with a kernel queue (inotify, fanotify): wait for
 * the non-blocking fd, read it until EAGAIN, handing each read's records to the sink (and waiting when it
 * asks to), say idle(), wait again. No thread ever blocks in read() (Node could then not exit).
 *
 * The wait: the main thread's own event loop (loop-readable.ts), as inotifywait's select() is: one
 * wake-up per event. Where the runtime cannot, or $INOTIFYKIT_MAIN_WAIT=poll asks for it, a poll() on
 * [fd, wake eventfd] on koffi's helper thread instead (a second wake-up per event: the helper, then the
 * main thread); stop() and the process's exit end a pending poll through the eventfd.
 *
 * During a burst the loop naps a millisecond instead of waiting at once, so that the next read finds a
 * large batch: each wake-up costs tens of µs, and waking per handful of events spends more on waking than
 * on the events. A lone event goes straight back to the wait, keeping latency at its floor.
 *
 * What only one backend does hangs on the hooks: inotify's reader thread takes the reading over in a burst
 * (handOver, then resume() when it hands back), its moves are settled before idle, counted records come
 * back as a number.
 */
import type { BackendSink } from './backend.js';
import type { RawEvent } from '../model/event.js';
import type { SystemError } from '../model/errors.js';
import { IN_ISDIR, IN_Q_OVERFLOW } from '../model/mask.js';
import { monotonicMs } from '../engine/clock.js';
import { LoopReadable } from './loop-readable.js';
import { EAGAIN, EINTR, POLLIN, Wake, close, errno as lastErrno, pollAsync, pollFds, read, strerror } from '@inotifykit/sys';

/** A drain that read at least this many records means a burst is under way: nap before the next read. */
export const BURST_RECORDS = 256;
/** Several records less than this long after the previous drain (a fast trickle) get the same nap. */
export const TRICKLE_MS = 1;
export const BURST_NAP_MS = 1;
/**
 * Records after which the queue must be read to its end before idle(): a new directory's rescan queues
 * events of its own, directory moves pair by cookie at idle, and an overflow is recovered from at idle.
 */
const READ_TO_END = IN_ISDIR | IN_Q_OVERFLOW;

export interface DrainHooks {
  /**
   * The records of the `n` bytes just read into the buffer (done before the next read: the buffer is
   * reused), or how many of them the sink took as counts (BackendSink.counts: no records made).
   */
  decode(n: number): RawEvent[] | number;
  /** A read() that returned `n` (0: end of file; below 0: `errno`) as the error the sink gets. */
  readError(n: number, errno: number): SystemError;
  /**
   * Asked before each read with the records this drain has read so far: true when something else has
   * taken the reading over (the loop then stops until resume()).
   */
  handOver?(records: number): boolean;
  /** The queue was read to the end, just before the sink hears idle(); `records`: how many this drain read. */
  beforeIdle?(records: number): void;
  /** The same, just after idle(); `decoded`: how many of them came as records (not as counts). */
  afterIdle?(records: number, decoded: number): void;
  /** The nap before the next read of a burst (default BURST_NAP_MS), with the same figures and the ms since the drain before. */
  burstNapMs?(records: number, decoded: number, sinceLastMs: number): number;
  /** The process is exiting (synchronously): end whatever else might still wait on the fd. */
  atExit?(): void;
}

/**
 * The main thread waits in its own event loop unless $INOTIFYKIT_MAIN_WAIT=poll asks for the helper
 * thread's poll() (the A/B switch of the latency bench; also a way out should a Node release break the
 * binding in a way LoopReadable.open() cannot see).
 */
function loopWaitAllowed(): boolean {
  return process.env.INOTIFYKIT_MAIN_WAIT !== 'poll';
}

export class DrainLoop {
  readonly #fd: number;
  readonly #buffer: Buffer;
  /** Ends a pending poll(); another thread that waits on the fd (inotify's reader) may use it too. */
  readonly wake: Wake;
  /** [fd, wake eventfd], both POLLIN. */
  readonly #pollFds: Buffer;
  readonly #hooks: DrainHooks;
  #sink: BackendSink | undefined;
  /** The event loop waits on the fd (undefined: a helper thread's poll() does). */
  #loop: LoopReadable | undefined;
  #polling = false;
  #nap: NodeJS.Timeout | undefined;
  #lastDrainAt = 0;
  /** Set by stop(): resolves once no poll() is pending. */
  #stopping: Promise<void> | undefined;
  #released = false;
  #pollDone: (() => void) | undefined;
  // process.exit() waits for the helper threads: a poll still blocked there would hang it.
  readonly #onExit = (): void => {
    this.#hooks.atExit?.();
    this.wake.signal();
  };

  /**
   * Reads `fd` (non-blocking) into `buffer`; from here on the loop owns `fd` (release() closes it). Beside
   * it, a Wake (eventfd) that ends a blocked poll, and the pollfd array [fd, wake] both POLLIN. If no
   * eventfd can be made, `fd` is closed and `fail`'s error for that errno is thrown.
   */
  constructor(fd: number, buffer: Buffer, fail: (errno: number, reason: string) => Error, hooks: DrainHooks) {
    let wake: Wake;
    try {
      wake = new Wake();
    } catch (err) {
      close(fd);
      const errno = (err as { errno: number }).errno;
      throw fail(errno, strerror(errno));
    }
    this.#fd = fd;
    this.#buffer = buffer;
    this.wake = wake;
    this.#pollFds = pollFds([fd, POLLIN], [wake.fd, POLLIN]);
    this.#hooks = hooks;
    process.on('exit', this.#onExit);
  }

  /** How the main thread waits for the fd: in its own event loop, or through a helper thread's poll(). */
  get mainWait(): 'loop' | 'poll' {
    return this.#loop ? 'loop' : 'poll';
  }

  start(sink: BackendSink): void {
    this.#sink = sink;
    if (loopWaitAllowed()) this.#loop = LoopReadable.open(this.#fd, this.#buffer, (n) => this.#onLoopRead(n));
    void this.#drain();
  }

  /** Reading comes back to this loop after a handOver(). */
  resume(): void {
    if (!this.#stopping) void this.#drain();
  }

  /**
   * Reads, synchronously, whatever is queued right now and hands it to the sink, ignoring backpressure
   * (Backend.readNow), then idle().
   */
  readNow(): void {
    const sink = this.#sink;
    if (this.#stopping || !sink) return;
    let count = 0;
    let n: number;
    while ((n = read(this.#fd, this.#buffer, this.#buffer.length)) > 0) {
      const records = this.#hooks.decode(n);
      if (typeof records === 'number') count += records;
      else if (records.length > 0) {
        count += records.length;
        void sink.records(records);
      }
    }
    this.#hooks.beforeIdle?.(count);
    sink.idle();
  }

  /** Ends the loop; resolves once no poll() is pending (then release() may close the fds). */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    process.off('exit', this.#onExit);
    clearTimeout(this.#nap);
    this.#loop?.stop();
    if (!this.#polling) return (this.#stopping = Promise.resolve());
    this.#stopping = new Promise<void>((resolve) => (this.#pollDone = resolve));
    this.wake.signal();
    return this.#stopping;
  }

  /**
   * Closes the fd and the eventfd exactly once (a second close could hit a number already reused), once
   * nothing can be reading them: after stop() has resolved, and any other reader has exited.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#loop) this.#loop.close(); // the handle owns the fd
    else close(this.#fd);
    this.wake.close();
  }

  /** The event loop read `n` bytes into the buffer (0: end of file; below 0: -errno). */
  #onLoopRead(n: number): void {
    if (this.#stopping) return;
    if (n > 0) return void this.#drain(n);
    this.#loop!.stop();
    this.#sink!.error(this.#hooks.readError(n, -n));
  }

  /**
   * Reads until EAGAIN, handing each read to the sink (and waiting when it asks to), then naps or waits.
   * `first`: bytes the event loop has already read into the buffer.
   */
  async #drain(first = 0): Promise<void> {
    const sink = this.#sink!;
    const hooks = this.#hooks;
    const startedAt = monotonicMs();
    const sincePrevious = startedAt - this.#lastDrainAt;
    this.#lastDrainAt = startedAt;
    let count = 0;
    let decoded = 0;
    let n = first;
    let loopRead = first > 0;
    for (;;) {
      if (this.#stopping) return;
      if (hooks.handOver?.(count)) return void this.#loop?.stop();
      if (n === 0) n = read(this.#fd, this.#buffer, this.#buffer.length);
      if (n > 0) {
        const records = hooks.decode(n);
        if (typeof records === 'number') {
          count += records;
          loopRead = false;
          n = 0;
          continue;
        }
        // The event loop's short read of a few records emptied the queue; unless they can make more or
        // must be paired at idle, the next event wakes the loop again, without a read() that finds nothing.
        const done = loopRead && n < this.#buffer.length / 2 && records.length < BURST_RECORDS && !records.some((r) => (r.mask & READ_TO_END) !== 0);
        loopRead = false;
        n = 0;
        count += records.length;
        decoded += records.length;
        const pending = records.length > 0 ? sink.records(records) : undefined;
        // Otherwise read again even after a short read: handling these records may itself have queued
        // more (reading a new directory does), and idle() must mean the queue is empty.
        if (pending) {
          this.#loop?.stop(); // the kernel queue holds the rest until the sink is ready
          await pending;
        }
        if (done) break;
        continue;
      }
      const errno = n < 0 ? lastErrno() : 0;
      if (n < 0 && errno === EINTR) {
        n = 0;
        continue;
      }
      if (n < 0 && errno === EAGAIN) break;
      this.#loop?.stop();
      sink.error(hooks.readError(n, errno));
      return;
    }
    hooks.beforeIdle?.(count);
    sink.idle();
    hooks.afterIdle?.(count, decoded);
    if (this.#stopping) return;
    if (count >= BURST_RECORDS || (count > 1 && sincePrevious < TRICKLE_MS)) {
      this.#loop?.stop();
      const nap = hooks.burstNapMs?.(count, decoded, sincePrevious) ?? BURST_NAP_MS;
      this.#nap = setTimeout(() => {
        this.#nap = undefined;
        void this.#drain();
      }, nap);
    } else {
      this.#wait();
    }
  }

  /** Waits until the fd is readable: in the event loop, or through a poll() on a helper thread. */
  #wait(): void {
    if (this.#loop) return this.#loop.start();
    this.#polling = true;
    pollAsync(this.#pollFds, 2, -1, () => {
      this.#polling = false;
      if (this.#stopping) return this.#pollDone?.();
      // A wake-up meant for another reader of the fd (inotify's reader thread, which may have handed back
      // before seeing it) is reset.
      this.wake.drain();
      void this.#drain();
    });
  }
}
