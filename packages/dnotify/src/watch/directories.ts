/**
 * The directories to watch, from the command line and `-f` lists: read, spelled consistently, checked.
 * This is the I/O step after parsing; names stay byte strings throughout.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { ByteString } from '@inotifykit/event-core';
import { fromText, strerror, toBuffer } from '@inotifykit/event-core';
import { DirectoryError, DirectoryListError } from '../errors.js';
import { asBytes } from '@inotifykit/event-core';

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return typeof e.errno === 'number' ? strerror(Math.abs(e.errno), e.message) : String(e.message ?? err);
}

/** A `-f` list: one directory per line, empty lines skipped; `-` is standard input. */
export function readDirectoryList(file: ByteString): ByteString[] {
  let text: ByteString;
  try {
    text = asBytes(readFileSync(file === '-' ? 0 : toBuffer(file)).toString('latin1'));
  } catch (err) {
    throw new DirectoryListError(file, reason(err));
  }
  return text.split('\n').filter((line) => line !== '').map(asBytes);
}

/**
 * The spelling `{}` stands for: as given, without trailing slashes (the original's rule), but `/` stays `/`.
 */
export function normaliseDirectory(path: ByteString): ByteString {
  const stripped = asBytes(path.replace(/\/+$/, ''));
  return stripped === '' && path !== '' ? asBytes('/') : stripped;
}

/** Throws {@link DirectoryError} unless `path` is a directory (a symlink to one is fine). */
export function checkDirectory(path: ByteString): void {
  let isDir: boolean;
  try {
    isDir = statSync(toBuffer(path)).isDirectory();
  } catch (err) {
    throw new DirectoryError(path, reason(err));
  }
  if (!isDir) throw new DirectoryError(path, strerror(20 /* ENOTDIR */));
}

/** The working directory as bytes (process.cwd() is decoded text, lossy for non-UTF-8 names). */
export function currentDirectory(): ByteString {
  try {
    return asBytes(readlinkSync('/proc/self/cwd', { encoding: 'buffer' }).toString('latin1'));
  } catch {
    return fromText(process.cwd());
  }
}

/** `path` made absolute against `cwd` (both byte strings; only `/` and `.` are interpreted). */
export function absolutePath(path: ByteString, cwd: ByteString): ByteString {
  return asBytes(posix.resolve(cwd, path));
}
