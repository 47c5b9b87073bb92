/**
 * Directory listing straight from the kernel: open(O_DIRECTORY) + getdents64 + close through libc.
 * A recursive walk lists every directory once; Node's opendirSync builds a Dir object (with promisified
 * methods) per directory, which cost more than the system calls themselves on a 50,000-directory tree.
 * Entries come in raw readdir order; `d_type` says which are directories (lstat only for DT_UNKNOWN).
 */
import { lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getSystemErrorName } from 'node:util';
import type { ByteString } from '../../model/bytes.js';
import { toBuffer } from '../../model/bytes.js';
import type { DirEntry } from '../../engine/walk.js';
import {
  AT_STATX_DONT_SYNC,
  AT_SYMLINK_NOFOLLOW,
  EINTR,
  O_CLOEXEC,
  O_DIRECTORY,
  O_RDONLY,
  STATX_NLINK,
  STATX_SIZE,
  STATX_TYPE,
  STX_DEV_MAJOR,
  STX_DEV_MINOR,
  STX_MASK,
  STX_MODE,
  STX_NLINK,
  close,
  errno as lastErrno,
  getdents64,
  open,
  statfs,
  statx,
} from '@inotifykit/sys';
import { asBytes } from '../../model/bytes.js';

const DT_UNKNOWN = 0;
const DT_DIR = 4;
/** struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; } */
const RECLEN_OFFSET = 16;
const TYPE_OFFSET = 18;
const NAME_OFFSET = 19;

/** glibc's readdir buffer (32 KiB on most file systems): each getdents64 call is an ACCESS event. */
const buffer = Buffer.allocUnsafeSlow(32 * 1024);

/** PATH_MAX and the NUL: longer paths the kernel refuses anyway (ENAMETOOLONG). */
const SCRATCH_SIZE = 4097;
const scratch = Buffer.allocUnsafeSlow(SCRATCH_SIZE);

/**
 * `path` NUL-terminated in a buffer shared by every caller, valid until the next call: for a system call
 * made at once (open, inotify_add_watch). A recursive walk makes two a directory; a Buffer each came from
 * the 8 KiB pool, with a JS object per path, and cost about as much as the system call they were for.
 */
export function scratchCString(path: ByteString): Buffer {
  if (path.length >= SCRATCH_SIZE) {
    const buf = Buffer.allocUnsafe(path.length + 1);
    buf[buf.latin1Write(path, 0)] = 0;
    return buf;
  }
  scratch[scratch.latin1Write(path, 0)] = 0;
  return scratch;
}

/**
 * The errno's name: libuv's (util), else node:os's table, which is loaded only then (at every start it
 * cost ~1 ms).
 */
function errnoName(errno: number): string {
  const name = errno > 0 ? getSystemErrorName(-errno) : 'Unknown';
  if (!name.startsWith('Unknown')) return name;
  const table = (createRequire(import.meta.url)('node:os') as typeof import('node:os')).constants.errno as Record<string, number>;
  return Object.keys(table).find((code) => table[code] === errno) ?? 'EUNKNOWN';
}

/** An error shaped like Node's fs errors (`code`, negative `errno`), so callers treat both alike. */
function fsError(errno: number, syscall: string, path: ByteString): NodeJS.ErrnoException {
  const code = errnoName(errno);
  const err: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${Buffer.from(path, 'latin1').toString()}'`);
  err.code = code;
  err.errno = -errno;
  err.syscall = syscall;
  return err;
}

/**
 * Opens the directory and calls `onRead(n)` for each getdents64 call's `n` bytes in `buffer`, the
 * directory open meanwhile: a walk that recurses from there reads in glibc readdir's order (getdents, the
 * subdirectories, getdents again), so a directory that is already watched (`-r d ./d`) reports the ACCESS
 * events inotify-tools' walk makes. `onRead` must be done with the buffer when it returns.
 */
function readDirectory(dirPath: ByteString, onRead: (n: number, fd: number) => void): void {
  const fd = open(scratchCString(dirPath), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw fsError(lastErrno(), 'open', dirPath);
  try {
    for (;;) {
      const n = getdents64(fd, buffer, buffer.length);
      if (n === 0) break;
      if (n < 0) {
        const errno = lastErrno();
        if (errno === EINTR) continue;
        throw fsError(errno, 'getdents64', dirPath);
      }
      onRead(n, fd);
    }
  } finally {
    close(fd);
  }
}

/** True for "." and "..", the name starting at `start` and ending (its NUL) at `end`. */
function isDotOrDotDot(start: number, end: number): boolean {
  return buffer[start] === 0x2e && (end === start + 1 || (end === start + 2 && buffer[start + 1] === 0x2e));
}

/**
 * The start-up walk's listing: like listDirectoryChunks, but only the names of the subdirectories (a
 * tree's files are most of its entries, and the walk needs no object for them). With `leaves`, each name's
 * `leaf[i]` says whether it has no subdirectories (see isLeaf), so the walk can watch it without reading it.
 */
export function listSubdirChunks(dirPath: ByteString, onChunk: (names: ByteString[], leaf: boolean[]) => void, leaves = false): void {
  readDirectory(dirPath, (n, fd) => {
    const names: ByteString[] = [];
    const leaf: boolean[] = [];
    for (let offset = 0; offset < n; ) {
      const type = buffer[offset + TYPE_OFFSET]!;
      const start = offset + NAME_OFFSET;
      offset += buffer[offset + RECLEN_OFFSET]! | (buffer[offset + RECLEN_OFFSET + 1]! << 8);
      if (type !== DT_DIR && type !== DT_UNKNOWN) continue;
      let end = start;
      while (buffer[end] !== 0) end++;
      if (isDotOrDotDot(start, end)) continue;
      const name = asBytes(buffer.latin1Slice(start, end));
      if (type === DT_DIR || isRealDirectory(dirPath, name)) {
        names.push(name);
        leaf.push(leaves && type === DT_DIR && isLeaf(fd, dirPath, name));
      }
    }
    onChunk(names, leaf);
  });
}

/** File systems whose directories have 2 + (their subdirectories) links; gnulib's fts trusts these too. */
const LINK_COUNTING_FILE_SYSTEMS = new Set([0xef53 /* ext2, ext3, ext4 */, 0x01021994 /* tmpfs */, 0x58465342 /* xfs */]);
/** Device (major << 20 | minor) → whether its file system keeps that count. */
const countsLinks = new Map<number, boolean>();
const statxBuffer = Buffer.alloc(STATX_SIZE);
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
let statxWorks = true;

/**
 * True when the directory `name` in the open directory `fd` has no subdirectories: a link count of 2 on a
 * file system that keeps the count. One statx(2) instead of open + two getdents64 + close: on a tree of
 * mostly leaf directories that is most of the walk's system calls. Anything unsure (an error, another file
 * system, no statx) says false, and the walk reads the directory as before. The race is the one the walk
 * always had (a subdirectory made between the look and the watch), no wider.
 */
function isLeaf(fd: number, dirPath: ByteString, name: ByteString): boolean {
  if (!statxWorks) return false;
  let rc: number;
  try {
    rc = statx(fd, scratchCString(name), AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_TYPE | STATX_NLINK, statxBuffer);
  } catch {
    statxWorks = false; // a C library without statx (glibc < 2.28)
    return false;
  }
  if (rc !== 0 || (statxBuffer.readUInt32LE(STX_MASK) & (STATX_TYPE | STATX_NLINK)) !== (STATX_TYPE | STATX_NLINK)) return false;
  if ((statxBuffer.readUInt16LE(STX_MODE) & S_IFMT) !== S_IFDIR || statxBuffer.readUInt32LE(STX_NLINK) !== 2) return false;
  const dev = statxBuffer.readUInt32LE(STX_DEV_MAJOR) * 0x100000 + statxBuffer.readUInt32LE(STX_DEV_MINOR);
  let counts = countsLinks.get(dev);
  if (counts === undefined) {
    counts = LINK_COUNTING_FILE_SYSTEMS.has(statfs(scratchCString(asBytes(dirPath + name)))?.type ?? -1);
    countsLinks.set(dev, counts);
  }
  return counts;
}

export function listDirectory(dirPath: ByteString): DirEntry[] {
  const entries: DirEntry[] = [];
  listDirectoryChunks(dirPath, (chunk) => {
    for (const entry of chunk) entries.push(entry);
  });
  return entries;
}

/** The entries, one getdents64 call's worth at a time (see readDirectory for the order). */
export function listDirectoryChunks(dirPath: ByteString, onChunk: (entries: DirEntry[]) => void): void {
  readDirectory(dirPath, (n) => {
    const entries: DirEntry[] = [];
    for (let offset = 0; offset < n; ) {
      const reclen = buffer.readUInt16LE(offset + RECLEN_OFFSET);
      const type = buffer[offset + TYPE_OFFSET]!;
      const start = offset + NAME_OFFSET;
      const end = buffer.indexOf(0, start);
      offset += reclen;
      if (isDotOrDotDot(start, end)) continue;
      const name = asBytes(buffer.latin1Slice(start, end));
      const isDir = type === DT_UNKNOWN ? isRealDirectory(dirPath, name) : type === DT_DIR;
      entries.push({ name, isDir });
    }
    onChunk(entries);
  });
}

function isRealDirectory(dirPath: ByteString, name: ByteString): boolean {
  try {
    const full = asBytes(dirPath.endsWith('/') ? dirPath + name : `${dirPath}/${name}`);
    return lstatSync(toBuffer(full)).isDirectory();
  } catch {
    return false;
  }
}

declare module 'node:buffer' {
  interface Buffer {
    /** Node's internal fast path behind write(string, offset, 'latin1'), without its argument checks. */
    latin1Write(string: string, offset: number): number;
  }
}
