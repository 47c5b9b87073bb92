/**
 * errno values by name (asm-generic: the same on x86_64 and aarch64), and the two ways to read one.
 */
import { koffi, lazy } from './library.js';

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EMFILE = 24;
export const ENOSPC = 28;
export const EPIPE = 32;
export const ENOSYS = 38;
export const ELOOP = 40;
export const ENODATA = 61;
export const EOVERFLOW = 75;
export const EOPNOTSUPP = 95;
export const ENOBUFS = 105;
export const ESTALE = 116;

/** The errno of the last failed libc call made through koffi on this thread. */
export function errno(): number {
  return koffi().errno();
}

const strerrorC = lazy<(n: number) => string>('const char *strerror(int errnum)');

/** The C library's text for an errno value (the words inotify-tools prints). */
export function strerror(errnum: number): string {
  return strerrorC(errnum);
}
