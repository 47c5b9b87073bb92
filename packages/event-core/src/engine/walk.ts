/**
 * Directory reading for recursive watches: `readdir` with `d_type` (lstat only for DT_UNKNOWN), names as
 * byte strings, symlinked directories never followed. Entries come in the raw order readdir gives (as
 * inotify-tools walks): that order decides watch descriptors, and inotifywatch breaks ties by them.
 * (fs.readdirSync would sort by name: libuv's scandir sorts.) On Linux the listing goes straight to
 * getdents64 (linux/dirents.ts); elsewhere through Node's opendir.
 */
import { opendirSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import type { ByteString } from '../model/bytes.js';
import { toBuffer } from '../model/bytes.js';
import { listDirectory, listSubdirChunks } from '../backends/inotify/dirents.js';
import { asBytes } from '../model/bytes.js';

export interface DirEntry {
  readonly name: ByteString;
  readonly isDir: boolean;
}

/** The entries of a directory; throws an fs-style error (with `code`, `errno`) when it cannot be read. */
export const readDir: (dirPath: ByteString) => DirEntry[] = process.platform === 'linux' ? listDirectory : readDirPortable;

/**
 * The names of the subdirectories in chunks as read (the start-up walk needs no more); with `leaves`, which
 * of them are known to have no subdirectories (`leaf[i]`; on Linux only, elsewhere all false).
 */
export const readSubdirChunks: (dirPath: ByteString, onChunk: (names: ByteString[], leaf: boolean[]) => void, leaves?: boolean) => void =
  process.platform === 'linux'
    ? listSubdirChunks
    : (dirPath, onChunk) => {
        const names = readDirPortable(dirPath).filter((e) => e.isDir).map((e) => e.name);
        onChunk(names, names.map(() => false));
      };

function readDirPortable(dirPath: ByteString): DirEntry[] {
  const dir = opendirSync(toBuffer(dirPath) as unknown as string, { encoding: 'buffer' as BufferEncoding, bufferSize: 256 });
  const entries: DirEntry[] = [];
  try {
    let dirent: Dirent | null;
    while ((dirent = dir.readSync()) !== null) {
      const name = asBytes((dirent.name as unknown as Buffer).toString('latin1'));
      entries.push({ name, isDir: dirent.isDirectory() });
    }
  } finally {
    dir.closeSync();
  }
  return entries;
}

/** Errors that make a subdirectory silently skipped during a walk (it vanished, or we may not enter it). */
export function isSkippableWalkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EPERM';
}
