/**
 * statx(2), for what the recursive walk asks of a directory before it reads it: its link count (2 = no
 * subdirectories, on file systems that keep the convention) and its device. struct statx has one layout
 * on every architecture (struct stat has not). (statfs(2) is in handles.ts.)
 */
import { lazy } from './library.js';

export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_STATX_DONT_SYNC = 0x4000;
export const STATX_TYPE = 0x1;
export const STATX_NLINK = 0x4;

export const statx = lazy<(dirfd: number, path: Buffer, flags: number, mask: number, buf: Buffer) => number>(
  'int statx(int dirfd, void *path, int flags, unsigned int mask, void *buf)',
);

/** Offsets in struct statx. */
export const STATX_SIZE = 256;
export const STX_MASK = 0;
export const STX_NLINK = 16;
export const STX_MODE = 28;
export const STX_DEV_MAJOR = 136;
export const STX_DEV_MINOR = 140;
