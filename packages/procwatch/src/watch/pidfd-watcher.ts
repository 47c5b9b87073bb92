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
import { ESRCH, POLLIN, Wake, close, errno as lastErrno, maxOpenFiles, pidfdOpen, pollAsync, pollFds, revents } from '@inotifykit/sys';
import type { ExitCallback, ExitWatcher } from './exit-watcher.js';
import { probe } from './exit-watcher.js';

interface Entry {
  fd: number;
  startTicks: number;
  onExit: ExitCallback;
}

/** Upper bound on one blocking poll; the eventfd normally ends it much sooner. */
const SAFETY_TIMEOUT_MS = 1000;
/** Descriptors left for everything else: /proc reads, stdio, Node's own. */
const FD_HEADROOM = 64;
/** After a failed poll(2), wait this long before the next, so an error cannot become a busy loop. */
const RETRY_MS = 50;

export class PidfdExitWatcher implements ExitWatcher {
  readonly kind = 'pidfd' as const;
  readonly #fallback: ExitWatcher;
  readonly #wake: Wake;
  readonly #maxPidfds: number;
  readonly #entries = new Map<number, Entry>();
  /** pidfds unwatched while a poll was using them: closed only after it returns, so no fd number is reused under it. */
  #deferredClose: number[] = [];
  #inFlight = false;
  #scheduled = false;
  #closed = false;
  #onClosed: (() => void) | undefined;

  constructor(fallback: ExitWatcher) {
    this.#fallback = fallback;
    this.#wake = new Wake();
    this.#maxPidfds = Math.max(0, maxOpenFiles() - FD_HEADROOM);
  }

  watch(pid: number, startTicks: number, onExit: ExitCallback): boolean {
    if (this.#closed) return false;
    if (this.#entries.size + this.#deferredClose.length >= this.#maxPidfds) return this.#fallback.watch(pid, startTicks, onExit);
    const fd = pidfdOpen(pid);
    if (fd < 0) {
      if (lastErrno() === ESRCH) return false; // already reaped
      return this.#fallback.watch(pid, startTicks, onExit); // EMFILE, ENFILE, ...: poll this one
    }
    // Between reading /proc and pidfd_open the PID could have been reused, or the process may already be a
    // zombie; either way the process we were asked about has ended.
    if (probe(pid, startTicks).ended) {
      close(fd);
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
      this.#wake.signal();
    });
  }

  #release(fd: number): void {
    if (this.#inFlight) this.#deferredClose.push(fd);
    else close(fd);
  }

  /** Batch the changes of one tick into one restart of the poll. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#closed) return;
      if (this.#inFlight) this.#wake.signal();
      else this.#arm();
    });
  }

  #arm(): void {
    if (this.#inFlight || this.#closed || this.#entries.size === 0) return;
    const slots = [...this.#entries].map(([pid, e]) => ({ pid, fd: e.fd }));
    const buf = pollFds([this.#wake.fd, POLLIN], ...slots.map((slot) => [slot.fd, POLLIN] as const));
    this.#inFlight = true;
    pollAsync(buf, slots.length + 1, SAFETY_TIMEOUT_MS, (err, res) => {
      this.#inFlight = false;
      this.#wake.drain();
      for (const fd of this.#deferredClose) close(fd);
      this.#deferredClose = [];
      if (this.#closed) {
        this.#teardown();
        this.#onClosed?.();
        return;
      }
      slots.forEach((slot, i) => {
        // Any revents (POLLIN on exit; POLLHUP/POLLERR/POLLNVAL in odd cases) means the process is done.
        if (revents(buf, i + 1) === 0) return;
        const entry = this.#entries.get(slot.pid);
        if (!entry || entry.fd !== slot.fd) return;
        this.#entries.delete(slot.pid);
        close(entry.fd);
        // The pidfd fires when the process becomes a zombie: its exit status is readable until it is reaped.
        const state = probe(slot.pid, entry.startTicks);
        entry.onExit(state.ended ? state.status : undefined);
      });
      if (err || res < 0) setTimeout(() => this.#arm(), RETRY_MS);
      else this.#arm();
    });
  }

  #teardown(): void {
    for (const entry of this.#entries.values()) close(entry.fd);
    this.#entries.clear();
    this.#wake.close();
  }
}
