/**
 * Directory reading for recursive watches: `readdir` with `d_type` (Node falls back to lstat for
 * DT_UNKNOWN), names as byte strings, symlinked directories never followed.
 */
import { readdirSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import type { ByteString } from './bytes.js';
import { toBuffer } from './bytes.js';

export interface DirEntry {
  readonly name: ByteString;
  readonly isDir: boolean;
}

/** The entries of a directory; throws the fs error (with `code`) when it cannot be read. */
export function readDir(dirPath: ByteString): DirEntry[] {
  const dirents = readdirSync(toBuffer(dirPath), { withFileTypes: true, encoding: 'buffer' }) as unknown as Dirent<Buffer>[];
  return dirents.map((d) => ({ name: d.name.toString('latin1'), isDir: d.isDirectory() }));
}

/** Errors that make a subdirectory silently skipped during a walk (it vanished, or we may not enter it). */
export function isSkippableWalkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EPERM';
}
