/**
 * Whether anyone holds a file open for writing, asked of the kernel through a file lease: a read lease
 * (fcntl F_SETLEASE, F_RDLCK) is refused with EAGAIN exactly while the inode is open for writing (its
 * write count), and granted otherwise; it is let go at once. No other interface says so short of reading
 * every process's /proc/PID/fd. Leases need the file's owner or CAP_LEASE, and a file system that has them.
 */
import { constants } from 'node:os';
import { EAGAIN, errno } from './errno.js';
import { O_CLOEXEC, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, close, open } from './fd.js';
import { lazy } from './library.js';

const F_SETSIG = 10;
const F_SETLEASE = 1024;
const F_RDLCK = 0;
const F_UNLCK = 2;
const O_NOCTTY = 0o400;
/**
 * A writer that opens the file while we hold the lease makes the kernel signal the holder (SIGIO by
 * default, whose default action ends the process). SIGURG's default action is to ignore it.
 */
const LEASE_SIGNAL = constants.signals.SIGURG;

/** fcntl(2) with one int argument (it is variadic: koffi passes the argument's type with it). */
const fcntl = lazy<(fd: number, cmd: number, type: 'int', arg: number) => number>('int fcntl(int fd, int cmd, ...)');

/**
 * True while some process holds the regular file at `path` (NUL-terminated bytes) open for writing, false
 * when none does, undefined when the kernel would not say (not ours and no CAP_LEASE, no leases on this
 * file system, gone, a write lease of someone else's). Our own open is read-only and non-blocking: the
 * watch on its directory sees an OPEN and a CLOSE_NOWRITE.
 */
export function openForWriting(path: Buffer): boolean | undefined {
  const fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return undefined;
  try {
    if (fcntl(fd, F_SETSIG, 'int', LEASE_SIGNAL) !== 0) return undefined;
    if (fcntl(fd, F_SETLEASE, 'int', F_RDLCK) === 0) {
      fcntl(fd, F_SETLEASE, 'int', F_UNLCK);
      return false;
    }
    return errno() === EAGAIN ? true : undefined;
  } finally {
    close(fd);
  }
}
