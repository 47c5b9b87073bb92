/**
 * Event output: one write() per batch, backpressure instead of buffering, and a prompt, quiet exit when
 * the reader goes away.
 *
 * - Regular files and character devices are written synchronously (they do not block for long).
 * - Pipes and sockets are written synchronously only when the kernel has room for the whole batch
 *   (PIPE_BUF under POLLOUT, for all the writes since that check); otherwise the write runs off the main thread and `write()` returns a promise,
 *   which a CLI hands back to the engine so it stops reading (the kernel queue holds the rest).
 * - The reader going away is noticed even while idle: a worker thread polls the fd for POLLERR/POLLHUP
 *   (inotify-tools only dies of SIGPIPE at its next event, inotify-tools #26). EPIPE on a write means the same.
 *   By default the process then dies of SIGPIPE, exactly as a C filter would (status 141 in a shell).
 */
import { fstatSync, write as fsWrite, writeSync } from 'node:fs';
import { InotifyKitError } from '@inotifykit/event-core';
import { reportError } from './exit.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, Wake, dieOfSignal, pollAsync, pollFds, pollNow, revents, strerror } from '@inotifykit/sys';

const PIPE_BUF = 4096;
const SIGPIPE = 13;

/** Ends the process the way the default SIGPIPE action does (a shell shows status 141). */
export function dieOfSigpipe(): never {
  return dieOfSignal(SIGPIPE); // Node ignores SIGPIPE
}

export type OutputKind = 'file' | 'stream';

export interface OutputSinkOptions {
  /** Called once when the reader has gone away. Default: {@link dieOfSigpipe}. */
  readonly onReaderGone?: () => void;
  /** Poll for the reader going away while idle (pipes and sockets only). Default true. */
  readonly watchReader?: boolean;
  /** What the fd is, for the write-error line: `standard output` (default) or `output file F`. */
  readonly target?: string;
  /**
   * Called once when a write fails for good (a full disk, /dev/full, EIO). Default: {@link exitOnWriteError},
   * one line on stderr and exit status 1.
   */
  readonly onWriteError?: (err: OutputWriteError) => void;
}

/** Exit status after a failed write of the output (not EPIPE: that is the SIGPIPE death). */
export const EXIT_WRITE_ERROR = 1;

/** A write of the output that failed for good: `Failed to write to standard output: No space left on device`. */
export class OutputWriteError extends InotifyKitError {
  constructor(target: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException).errno;
    const reason = typeof errno === 'number' ? strerror(Math.abs(errno)) : String((cause as Error).message ?? cause);
    super(`Failed to write to ${target}: ${reason}`, undefined, { cause, exitCode: EXIT_WRITE_ERROR });
  }
}

/** The sink's default on a failed write: the one error path (one line on stderr), then exit. */
export function exitOnWriteError(err: OutputWriteError): never {
  process.exit(reportError(err));
}

export class OutputSink {
  readonly fd: number;
  readonly kind: OutputKind;
  readonly #onReaderGone: () => void;
  readonly #onWriteError: (err: OutputWriteError) => void;
  readonly #target: string;
  #busy: Promise<void> | undefined;
  /**
   * For a pipe or socket: bytes that fit without blocking. POLLOUT means PIPE_BUF are free, and only the
   * reader changes that (by making room), so one check covers writes up to that much in all: for short
   * lines, one poll() per ~80 events instead of one between each event and its line.
   */
  #room = 0;
  readonly #roomFds: Buffer;
  #gone = false;
  #watch: ReaderWatch | undefined;

  constructor(fd: number, options: OutputSinkOptions = {}) {
    this.fd = fd;
    let kind: OutputKind = 'file';
    try {
      const st = fstatSync(fd);
      if (st.isFIFO() || st.isSocket()) kind = 'stream';
    } catch {
      // a closed fd: the first write reports it
    }
    this.kind = kind;
    this.#roomFds = pollFds([fd, POLLOUT]);
    this.#onReaderGone = options.onReaderGone ?? dieOfSigpipe;
    this.#onWriteError = options.onWriteError ?? exitOnWriteError;
    this.#target = options.target ?? 'standard output';
    if (kind === 'stream' && options.watchReader !== false && process.platform === 'linux') {
      this.#watch = new ReaderWatch(fd, () => this.#readerGone());
    }
  }

  /** True once the reader went away (nothing more is written). */
  get readerGone(): boolean {
    return this.#gone;
  }

  /**
   * Writes the bytes with as few write() calls as the kernel allows. Returns a promise when the write
   * could not complete at once; the caller should wait for it before producing more.
   */
  write(data: Buffer): void | Promise<void> {
    if (this.#gone || data.length === 0) return;
    if (this.#busy) return (this.#busy = this.#busy.then(() => this.#writeAsync(data)));
    let rest = data;
    if (this.kind === 'file' || (rest.length <= PIPE_BUF && (rest.length <= this.#room || this.#roomNow()))) {
      try {
        const n = writeSync(this.fd, rest);
        this.#room = Math.max(0, this.#room - n);
        rest = rest.subarray(n);
        if (this.kind === 'file') while (rest.length > 0) rest = rest.subarray(writeSync(this.fd, rest));
      } catch (err) {
        this.#room = 0;
        if (!this.#handleError(err)) return;
      }
      if (rest.length === 0) return;
    }
    const pending = this.#writeAsync(rest).finally(() => {
      if (this.#busy === pending) this.#busy = undefined;
    });
    this.#busy = pending;
    return pending;
  }

  /** Resolves when every write has reached the kernel. */
  async drain(): Promise<void> {
    while (this.#busy) await this.#busy;
  }

  /** Stops watching the reader (so the process can exit without waking a thread). */
  close(): void {
    this.#watch?.stop();
    this.#watch = undefined;
  }

  #roomNow(): boolean {
    const fds = this.#roomFds;
    const room = pollNow(fds, 1) === 1 && (revents(fds, 0) & POLLOUT) !== 0;
    this.#room = room ? PIPE_BUF : 0;
    return room;
  }

  async #writeAsync(data: Buffer): Promise<void> {
    let rest = data;
    while (rest.length > 0 && !this.#gone) {
      try {
        const n = await new Promise<number>((resolve, reject) =>
          fsWrite(this.fd, rest, 0, rest.length, null, (err, written) => (err ? reject(err) : resolve(written))),
        );
        rest = rest.subarray(n);
      } catch (err) {
        if (!this.#handleError(err)) return;
        await waitWritable(this.fd); // EAGAIN: a non-blocking fd we inherited
      }
    }
  }

  /** True when the write should be retried later (EAGAIN); false when nothing more is to be written. */
  #handleError(err: unknown): boolean {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') return true;
    if (code === 'EPIPE' || code === 'ECONNRESET') {
      this.#readerGone();
      return false;
    }
    if (code === 'EBADF') {
      // No stdout at all (`>&-`): C stdio drops the output and carries on, and so do we.
      this.#gone = true;
      return false;
    }
    this.#gone = true;
    this.close();
    this.#onWriteError(new OutputWriteError(this.#target, err));
    return false;
  }

  #readerGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.close();
    this.#onReaderGone();
  }
}

function waitWritable(fd: number): Promise<void> {
  const fds = pollFds([fd, POLLOUT]);
  return new Promise((resolve) => pollAsync(fds, 1, 1000, () => resolve()));
}

/**
 * A worker-thread poll() on the output fd with no requested events: only POLLERR (pipe without readers)
 * or POLLHUP (socket peer closed) wake it. An eventfd stops it, also at process exit, which would
 * otherwise wait for the blocked thread.
 */
class ReaderWatch {
  readonly #fds: Buffer;
  readonly #wake: Wake | undefined;
  #stopped = false;
  readonly #onExit = () => this.stop();

  constructor(fd: number, onGone: () => void) {
    try {
      this.#wake = new Wake();
    } catch {
      this.#wake = undefined; // no eventfd: the next write's EPIPE still tells
    }
    this.#fds = pollFds([fd, 0], [this.#wake?.fd ?? -1, POLLIN]);
    process.on('exit', this.#onExit);
    const loop = () => {
      pollAsync(this.#fds, 2, -1, () => {
        if (this.#stopped) return this.#wake?.close();
        if (revents(this.#fds, 0) & (POLLERR | POLLHUP)) {
          this.stop();
          onGone();
          return;
        }
        loop(); // EINTR or a spurious wake-up
      });
    };
    if (this.#wake) loop();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    process.off('exit', this.#onExit);
    this.#wake?.signal();
  }
}

