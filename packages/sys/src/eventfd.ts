/**
 * An eventfd as a wake-up: a thread blocked in poll() on it returns when another writes to it. Every
 * blocking poll in the toolkit has one, so that close() and process exit can end it.
 */
import { close, read, write } from './fd.js';
import { errno } from './errno.js';
import { lazy } from './library.js';

export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;

const eventfd = lazy<(initval: number, flags: number) => number>('int eventfd(unsigned int initval, int flags)');

const ONE = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);

export class Wake {
  readonly fd: number;
  readonly #scratch = Buffer.alloc(8);
  #closed = false;

  /** Throws a {@link WakeError} carrying errno when no eventfd can be made. */
  constructor() {
    this.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (this.fd < 0) throw new WakeError(errno());
  }

  /** Wakes whoever polls the fd (the counter stays set until drained). */
  signal(): void {
    if (!this.#closed) write(this.fd, ONE, 8);
  }

  /** Resets the counter (non-blocking: nothing happens when it is zero). */
  drain(): void {
    if (!this.#closed) read(this.fd, this.#scratch, 8);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    close(this.fd);
  }
}

export class WakeError extends Error {
  constructor(readonly errno: number) {
    super(`eventfd failed (errno ${errno})`);
    this.name = 'WakeError';
  }
}
