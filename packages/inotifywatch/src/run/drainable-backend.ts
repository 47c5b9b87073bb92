/**
 * The engine's inotify backend plus one thing inotifywatch needs: reading, right now and synchronously,
 * whatever the kernel has queued. Statistics printed on a signal must include the events that happened
 * before the signal; the backend's own reads are driven by a poll() on a worker thread whose wake-up may
 * reach the main thread after the signal does.
 *
 * Workaround until the engine offers it (asked for: `Watcher.flush()`): the backend's fd is private, so it
 * is found as the inotify fd that appears in /proc/self/fd when the backend is created. Reads happen on
 * the main thread only, like the backend's, so the two never interleave.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { createBackend } from '@inotifykit/event-core/platform';
import type { Backend, BackendSink, ByteString, EventMask } from '@inotifykit/event-core';
import { decodeEvents } from '@inotifykit/event-core/linux/decode';
import { EAGAIN, EINTR, loadLibc } from '@inotifykit/event-core/linux/libc';

const READ_BUFFER_SIZE = 64 * 1024;

export class DrainableBackend implements Backend {
  readonly #inner: Backend;
  readonly #fd: number | undefined;
  #sink: BackendSink | undefined;
  #buffer: Buffer | undefined;

  constructor() {
    const before = new Set(inotifyFds());
    this.#inner = createBackend('inotify');
    const added = inotifyFds().filter((fd) => !before.has(fd));
    this.#fd = added.length === 1 ? added[0] : undefined;
  }

  get name(): Backend['name'] {
    return this.#inner.name;
  }

  get nativeRecursion(): boolean {
    return this.#inner.nativeRecursion;
  }

  addWatch(path: ByteString, mask: EventMask): number {
    return this.#inner.addWatch(path, mask);
  }

  removeWatch(wd: number): void {
    this.#inner.removeWatch(wd);
  }

  start(sink: BackendSink): void {
    this.#sink = sink;
    this.#inner.start(sink);
  }

  close(): Promise<void> {
    this.#sink = undefined;
    return this.#inner.close();
  }

  /** Hands everything queued in the kernel to the engine now. Returns false when it cannot. */
  drainNow(): boolean {
    const sink = this.#sink;
    if (this.#fd === undefined || !sink) return false;
    const libc = loadLibc();
    this.#buffer ??= Buffer.allocUnsafeSlow(READ_BUFFER_SIZE);
    for (;;) {
      const n = libc.read(this.#fd, this.#buffer, READ_BUFFER_SIZE);
      if (n > 0) {
        void sink.records(decodeEvents(this.#buffer, n));
        continue;
      }
      if (n < 0 && libc.errno() === EINTR) continue;
      return n < 0 && libc.errno() === EAGAIN;
    }
  }
}

function inotifyFds(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const name of names) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`) === 'anon_inode:inotify') fds.push(Number(name));
    } catch {
      // the fd readdir itself used, already closed
    }
  }
  return fds;
}
