/**
 * The exit watcher built on pidfds (pidfd_open(2), Linux ≥ 5.3): a pidfd becomes readable the moment its
 * process exits, so exits are reported without polling /proc. One poll(2) over all pidfds runs at a time on
 * a koffi worker thread, never on the main thread. Slot 0 of the poll set is an eventfd: writing to it wakes
 * the poll when the set changes or the watcher closes. The poll also has a timeout, so no worker thread can
 * stay blocked forever even if a wake-up were lost.
 * Each pidfd is a file descriptor. So that watching many processes never starves the /proc reads of
 * descriptors, at most (RLIMIT_NOFILE - FD_HEADROOM) pidfds are held; further processes, and any whose
 * pidfd cannot be opened for another reason than being gone, are handed to a polling watcher.
 */
import type { Libc } from '../libc.js';
import type { ExitCallback, ExitWatcher } from './exit-watcher.js';
import { probe } from './exit-watcher.js';

interface Entry {
  fd: number;
  startTicks: number;
  onExit: ExitCallback;
}

/** sizeof(struct pollfd): int fd; short events; short revents. */
const POLLFD_SIZE = 8;
const POLLIN = 0x1;
/** Upper bound on one blocking poll; the eventfd normally ends it much sooner. */
const SAFETY_TIMEOUT_MS = 1000;
const ESRCH = 3;
/** Descriptors left for everything else: /proc reads, stdio, Node's own. */
const FD_HEADROOM = 64;
/** After a failed poll(2), wait this long before the next, so an error cannot become a busy loop. */
const RETRY_MS = 50;

export class PidfdExitWatcher implements ExitWatcher {
  readonly kind = 'pidfd' as const;
  readonly #libc: Libc;
  readonly #fallback: ExitWatcher;
  readonly #wakeFd: number;
  readonly #maxPidfds: number;
  readonly #entries = new Map<number, Entry>();
  /** pidfds unwatched while a poll was using them: closed only after it returns, so no fd number is reused under it. */
  #deferredClose: number[] = [];
  #inFlight = false;
  #scheduled = false;
  #closed = false;
  #onClosed: (() => void) | undefined;

  constructor(libc: Libc, fallback: ExitWatcher) {
    this.#libc = libc;
    this.#fallback = fallback;
    this.#wakeFd = libc.eventfd();
    if (this.#wakeFd < 0) throw new Error(`eventfd failed (errno ${libc.errno()})`);
    this.#maxPidfds = Math.max(0, libc.maxOpenFiles() - FD_HEADROOM);
  }

  watch(pid: number, startTicks: number, onExit: ExitCallback): boolean {
    if (this.#closed) return false;
    if (this.#entries.size + this.#deferredClose.length >= this.#maxPidfds) return this.#fallback.watch(pid, startTicks, onExit);
    const fd = this.#libc.pidfdOpen(pid);
    if (fd < 0) {
      if (this.#libc.errno() === ESRCH) return false; // already reaped
      return this.#fallback.watch(pid, startTicks, onExit); // EMFILE, ENFILE, ...: poll this one
    }
    // Between reading /proc and pidfd_open the PID could have been reused, or the process may already be a
    // zombie; either way the process we were asked about has ended.
    if (probe(pid, startTicks).ended) {
      this.#libc.close(fd);
      return false;
    }
    const old = this.#entries.get(pid);
    if (old) this.#release(old.fd);
    this.#entries.set(pid, { fd, startTicks, onExit });
    this.#schedule();
    return true;
  }

  unwatch(pid: number): void {
    this.#fallback.unwatch(pid);
    const entry = this.#entries.get(pid);
    if (!entry) return;
    this.#entries.delete(pid);
    this.#release(entry.fd);
    this.#schedule();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fallback.close();
    if (!this.#inFlight) {
      this.#teardown();
      return;
    }
    await new Promise<void>((resolve) => {
      this.#onClosed = resolve;
      this.#libc.eventfdSignal(this.#wakeFd);
    });
  }

  #release(fd: number): void {
    if (this.#inFlight) this.#deferredClose.push(fd);
    else this.#libc.close(fd);
  }

  /** Batch the changes of one tick into one restart of the poll. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#closed) return;
      if (this.#inFlight) this.#libc.eventfdSignal(this.#wakeFd);
      else this.#arm();
    });
  }

  #arm(): void {
    if (this.#inFlight || this.#closed || this.#entries.size === 0) return;
    const slots = [...this.#entries].map(([pid, e]) => ({ pid, fd: e.fd }));
    const buf = Buffer.alloc(POLLFD_SIZE * (slots.length + 1));
    buf.writeInt32LE(this.#wakeFd, 0);
    buf.writeInt16LE(POLLIN, 4);
    slots.forEach((slot, i) => {
      buf.writeInt32LE(slot.fd, POLLFD_SIZE * (i + 1));
      buf.writeInt16LE(POLLIN, POLLFD_SIZE * (i + 1) + 4);
    });
    this.#inFlight = true;
    this.#libc.pollAsync(buf, slots.length + 1, SAFETY_TIMEOUT_MS, (err, res) => {
      this.#inFlight = false;
      this.#libc.eventfdDrain(this.#wakeFd);
      for (const fd of this.#deferredClose) this.#libc.close(fd);
      this.#deferredClose = [];
      if (this.#closed) {
        this.#teardown();
        this.#onClosed?.();
        return;
      }
      slots.forEach((slot, i) => {
        // Any revents (POLLIN on exit; POLLHUP/POLLERR/POLLNVAL in odd cases) means the process is done.
        if (buf.readInt16LE(POLLFD_SIZE * (i + 1) + 6) === 0) return;
        const entry = this.#entries.get(slot.pid);
        if (!entry || entry.fd !== slot.fd) return;
        this.#entries.delete(slot.pid);
        this.#libc.close(entry.fd);
        // The pidfd fires when the process becomes a zombie: its exit status is readable until it is reaped.
        const state = probe(slot.pid, entry.startTicks);
        entry.onExit(state.ended ? state.status : undefined);
      });
      if (err || res < 0) setTimeout(() => this.#arm(), RETRY_MS);
      else this.#arm();
    });
  }

  #teardown(): void {
    for (const entry of this.#entries.values()) this.#libc.close(entry.fd);
    this.#entries.clear();
    this.#libc.close(this.#wakeFd);
  }
}
