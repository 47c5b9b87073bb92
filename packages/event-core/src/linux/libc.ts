/**
 * The few libc calls the Linux backend needs, bound through koffi (prebuilt, so no compiler at install).
 * Loaded lazily: importing event-core on another platform must not fail.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Libc {
  inotify_init1(flags: number): number;
  inotify_add_watch(fd: number, path: Buffer, mask: number): number;
  inotify_rm_watch(fd: number, wd: number): number;
  read(fd: number, buf: Buffer, count: number): number;
  write(fd: number, buf: Buffer, count: number): number;
  close(fd: number): number;
  /** open(2) with two arguments (no mode: never O_CREAT here). */
  open(path: Buffer, flags: number): number;
  getdents64(fd: number, buf: Buffer, count: number): number;
  eventfd(initval: number, flags: number): number;
  /** poll(2) on the main thread: only with timeout 0 (a check, never a wait). */
  pollNow(fds: Buffer, nfds: number): number;
  /** Blocking poll; call through `pollAsync` so it runs off the main thread. */
  pollAsync(fds: Buffer, nfds: number, timeout: number, cb: (err: unknown, result: number) => void): void;
  strerror(errnum: number): string;
  errno(): number;
  /** signal(2) with SIG_DFL (null): to die of a signal Node ignores. */
  signalDefault(signum: number): void;
  /** signal(2) with SIG_IGN: to ignore again a signal the parent ignored (Node reset it at start-up). */
  signalIgnore(signum: number): void;
  raise(sig: number): number;
}

let libc: Libc | undefined;

interface KoffiFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}
interface KoffiLib {
  func(signature: string): KoffiFunction;
}
interface Koffi {
  load(name: string): KoffiLib;
  errno(): number;
}

export function loadLibc(): Libc {
  if (libc) return libc;
  const koffi = require('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  const poll = lib.func('int poll(void *fds, uint64_t nfds, int timeout)');
  const strerror = lib.func('const char *strerror(int errnum)');
  libc = {
    inotify_init1: lib.func('int inotify_init1(int flags)') as Libc['inotify_init1'],
    // The path is passed as raw bytes (a NUL-terminated Buffer), never re-encoded.
    inotify_add_watch: lib.func('int inotify_add_watch(int fd, void *path, uint32_t mask)') as Libc['inotify_add_watch'],
    inotify_rm_watch: lib.func('int inotify_rm_watch(int fd, int wd)') as Libc['inotify_rm_watch'],
    read: lib.func('intptr_t read(int fd, void *buf, size_t count)') as Libc['read'],
    write: lib.func('intptr_t write(int fd, void *buf, size_t count)') as Libc['write'],
    close: lib.func('int close(int fd)') as Libc['close'],
    open: lib.func('int open(void *path, int flags)') as Libc['open'],
    getdents64: lib.func('intptr_t getdents64(int fd, void *dirp, size_t count)') as Libc['getdents64'],
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)') as Libc['eventfd'],
    pollNow: (fds, nfds) => poll(fds, nfds, 0) as number,
    pollAsync: (fds, nfds, timeout, cb) => poll.async(fds, nfds, timeout, cb),
    strerror: (n) => strerror(n) as string,
    errno: () => koffi.errno(),
    signalDefault: (signum) => void lib.func('void *signal(int signum, void *handler)')(signum, null),
    signalIgnore: (signum) => void lib.func('intptr_t signal(int signum, intptr_t handler)')(signum, 1), // SIG_IGN
    raise: lib.func('int raise(int sig)') as Libc['raise'],
  };
  return libc;
}

// Values from the Linux headers (asm-generic; the same on x86_64 and aarch64).
export const EAGAIN = 11;
export const EINTR = 4;
export const ENOENT = 2;
export const EACCES = 13;
export const ENOTDIR = 20;
export const ENOSPC = 28;
export const EMFILE = 24;
export const ELOOP = 40;
export const IN_NONBLOCK = 0o4000;
export const IN_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;
export const POLLIN = 0x001;
export const O_RDONLY = 0;
export const O_DIRECTORY = 0o200000;
export const O_CLOEXEC_FLAG = 0o2000000;
export const O_NOFOLLOW = 0o400000;
