/** Start-up checks and error mapping for the parcel backend's watches. */
import { accessSync, constants, statSync } from 'node:fs';
import type { ByteString } from '../../model/bytes.js';
import { toBuffer } from '../../model/bytes.js';
import { WatchError, WatchLimitError, strerror } from '../../model/errors.js';
import { parcelText, realPath } from './paths.js';

/** The checks parcel would only fail later and vaguely ("Bad file descriptor" for a missing root). */
export function checkWatchable(path: ByteString): { real: ByteString; realText: string; isFile: boolean } {
  let isFile: boolean;
  let real: ByteString;
  try {
    isFile = !statSync(toBuffer(path)).isDirectory();
    accessSync(toBuffer(path), constants.R_OK);
    real = realPath(path);
  } catch (err) {
    const errno = Math.abs((err as NodeJS.ErrnoException).errno ?? 22);
    throw new WatchError(path, errno, strerror(errno, (err as Error).message));
  }
  const realText = parcelText(real);
  if (realText === undefined) {
    throw new WatchError(path, 22, 'Invalid argument (the parcel backend can only watch paths that are valid UTF-8)');
  }
  return { real, realText, isFile };
}

/** A failed subscription as the typed error inotify would have given. */
export function watchFailure(path: ByteString, err: Error): WatchError {
  const reason = /: ([^:]+)$/.exec(err.message)?.[1] ?? err.message;
  if (/No space left on device/.test(reason)) return new WatchLimitError(path, 28, reason);
  return new WatchError(path, 0, reason);
}
