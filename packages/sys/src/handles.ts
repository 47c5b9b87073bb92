/**
 * File handles (name_to_handle_at(2), open_by_handle_at(2)) and statfs(2)'s filesystem id: what fanotify
 * reports instead of paths. A handle is kept as the kernel's `struct file_handle` bytes
 * ({ u32 handle_bytes; int handle_type; unsigned char f_handle[] }).
 */
import { lazy } from './library.js';

export const AT_FDCWD = -100;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
/** Linux 6.5: a handle for identification only (fanotify), on file systems that cannot open by handle. */
export const AT_HANDLE_FID = 0x200;
export const MAX_HANDLE_SZ = 128;

const nameToHandleAtC = lazy<(dirfd: number, path: Buffer, handle: Buffer, mountId: Buffer, flags: number) => number>(
  'int name_to_handle_at(int dirfd, void *pathname, void *handle, void *mount_id, int flags)',
);
export const openByHandleAt = lazy<(mountFd: number, handle: Buffer, flags: number) => number>(
  'int open_by_handle_at(int mount_fd, void *handle, int flags)',
);
const statfsC = lazy<(path: Buffer, buf: Buffer) => number>('int statfs(void *path, void *buf)');

export interface FileHandle {
  /** The `struct file_handle` bytes, ready for open_by_handle_at. */
  readonly handle: Buffer;
  readonly mountId: number;
}

/** The handle of a path (NUL-terminated bytes), or undefined with errno set. */
export function nameToHandleAt(dirfd: number, path: Buffer, flags: number): FileHandle | undefined {
  const buf = Buffer.alloc(8 + MAX_HANDLE_SZ);
  buf.writeUInt32LE(MAX_HANDLE_SZ, 0);
  const mountId = Buffer.alloc(4);
  if (nameToHandleAtC(dirfd, path, buf, mountId, flags) < 0) return undefined;
  return { handle: buf.subarray(0, 8 + buf.readUInt32LE(0)), mountId: mountId.readInt32LE(0) };
}

export interface FsInfo {
  /** f_type: the file system's magic number (0x6969 NFS, 0x01021994 tmpfs, …). */
  readonly type: number;
  /** f_fsid as the 8 bytes fanotify puts in its info records. */
  readonly fsid: Buffer;
}

/**
 * statfs(2) of a path (NUL-terminated bytes), or undefined with errno set. struct statfs on the 64-bit
 * ABIs (x86_64, aarch64): f_type at 0, f_fsid at 56, 120 bytes in all.
 */
export function statfs(path: Buffer): FsInfo | undefined {
  const buf = Buffer.alloc(128);
  if (statfsC(path, buf) < 0) return undefined;
  return { type: Number(buf.readBigInt64LE(0)) >>> 0, fsid: Buffer.from(buf.subarray(56, 64)) };
}
