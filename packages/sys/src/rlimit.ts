/** getrlimit(2). */
import { lazy } from './library.js';

const RLIMIT_NOFILE = 7;
const getrlimit = lazy<(resource: number, rlim: Buffer) => number>('int getrlimit(int resource, void *rlim)');

/** The soft RLIMIT_NOFILE: how many file descriptors this process may hold (1024 when it cannot be read). */
export function maxOpenFiles(): number {
  const rlim = Buffer.alloc(16); // struct rlimit { rlim_t rlim_cur, rlim_max; }
  if (getrlimit(RLIMIT_NOFILE, rlim) !== 0) return 1024;
  const soft = rlim.readBigUInt64LE(0);
  return soft > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(soft);
}
