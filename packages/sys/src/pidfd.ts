/** pidfd_open(2): a file descriptor that polls readable when the process exits. */
import { libc, type KoffiFunction } from './library.js';

/** pidfd_open is 434 on every architecture but alpha. */
const SYS_pidfd_open = 434;

let bound: ((pid: number) => number) | undefined;

/** A pidfd for `pid`, or -1 with errno set. */
export function pidfdOpen(pid: number): number {
  if (!bound) {
    let fn: KoffiFunction | undefined;
    try {
      // glibc ≥ 2.36 exports it; older ones (and musl) need the raw syscall.
      fn = libc().func('int pidfd_open(int pid, unsigned int flags)');
    } catch {
      fn = undefined;
    }
    if (fn) {
      const f = fn;
      bound = (p) => f(p, 0) as number;
    } else {
      const syscall = libc().func('long syscall(long number, ...)');
      bound = (p) => Number(syscall(SYS_pidfd_open, 'int', p, 'unsigned int', 0));
    }
  }
  return bound(pid);
}
