/**
 * poll(2). A blocking poll runs on koffi's worker thread (`pollAsync`), never on the main thread; the main
 * thread only checks (`pollNow`, timeout 0).
 */
import { lazy } from './library.js';

export const POLLIN = 0x001;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;

const poll = lazy<(fds: Buffer, nfds: number, timeout: number) => number>('int poll(void *fds, uint64_t nfds, int timeout)');

/** A `struct pollfd[]` ({ int fd; short events; short revents; }) for these fds and requested events. */
export function pollFds(...entries: ReadonlyArray<readonly [fd: number, events: number]>): Buffer {
  const buf = Buffer.alloc(8 * entries.length);
  entries.forEach(([fd, events], i) => {
    buf.writeInt32LE(fd, 8 * i);
    buf.writeInt16LE(events, 8 * i + 4);
  });
  return buf;
}

/** The revents of entry `i` of a pollfd buffer. */
export function revents(fds: Buffer, i: number): number {
  return fds.readInt16LE(8 * i + 6);
}

/** poll(2) with timeout 0: a check, never a wait. */
export function pollNow(fds: Buffer, nfds: number): number {
  return poll(fds, nfds, 0);
}

/** A blocking poll(2) on koffi's worker thread; `cb` runs on the main thread when it returns. */
export function pollAsync(fds: Buffer, nfds: number, timeoutMs: number, cb: (err: unknown, result: number) => void): void {
  poll.async(fds, nfds, timeoutMs, cb);
}
