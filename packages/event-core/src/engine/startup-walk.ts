/**
 * The start-up walk of a recursive watch, as inotify-tools walks: post-order (children are watched before
 * their parent, which fixes the wd order), each directory read in glibc readdir's rhythm with the
 * subdirectories walked between its getdents calls (so a tree given twice, `d ./d`, reports the same
 * ACCESS events), symlinked directories never followed, `@` exclusions and `pruneDir` skipped.
 */
import type { ByteString } from '../model/bytes.js';
import { asBytes } from '../model/bytes.js';
import { WatchError, WatchLimitError, strerror } from '../model/errors.js';
import type { EngineContext } from './context.js';
import { isSkippableErrno } from './context.js';
import { isSkippableWalkError, readSubdirChunks } from './walk.js';

export interface WalkOptions {
  /** `@` exclusions, each ending in `/`. */
  readonly excludes: ReadonlySet<ByteString>;
  /** Called for each directory watched (for following its new subdirectories). */
  readonly watched: (wd: number, dirPath: ByteString) => void;
}

/** Walks and watches the tree at `path`; false when `path` is not a directory (nothing done). */
export function walkTree(ctx: EngineContext, path: ByteString, options: WalkOptions): boolean {
  const dirPath = asBytes(path.endsWith('/') ? path : path + '/');
  // A leaf directory is watched without being read, which is invisible only while nothing is watched
  // yet: reading a directory that an earlier path already watches is an OPEN and ACCESS event that
  // inotify-tools reports (`-r d ./d`), so later trees are read whole.
  const leaves = ctx.table.size === 0;
  try {
    walk(ctx, dirPath, path, options, leaves);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw fsError(path, err);
  }
  return true;
}

function walk(ctx: EngineContext, dirPath: ByteString, topPath: ByteString, options: WalkOptions, leaves: boolean): void {
  const { excludes } = options;
  readSubdirChunks(
    dirPath,
    (names, leaf) => {
      for (let i = 0; i < names.length; i++) {
        const child = asBytes(dirPath + names[i]! + '/');
        if ((excludes.size !== 0 && excludes.has(child)) || ctx.pruneDir?.(child)) continue;
        try {
          if (leaf[i]) watchDirectory(ctx, child, topPath, options);
          else walk(ctx, child, topPath, options, leaves);
        } catch (err) {
          if (isSkippableWalkError(err)) continue;
          throw fsError(child, err);
        }
      }
    },
    leaves,
  );
  watchDirectory(ctx, dirPath, topPath, options);
}

/** The watch on one directory of the tree, after its subdirectories' (post-order: inotify-tools' wd order). */
function watchDirectory(ctx: EngineContext, dirPath: ByteString, topPath: ByteString, options: WalkOptions): void {
  let wd: number;
  try {
    wd = ctx.backend.addWatch(dirPath, ctx.kernelMask);
  } catch (err) {
    if (err instanceof WatchLimitError) throw new WatchLimitError(topPath, err.errno, err.reason);
    if (dirPath !== asBytes(topPath + '/') && dirPath !== topPath && err instanceof WatchError && isSkippableErrno(err.errno)) return;
    throw err;
  }
  const watch = ctx.table.add(wd, dirPath, true, true);
  options.watched(wd, watch.path);
}

/** An fs-style error (from a listing) as the WatchError naming `path`; others pass through. */
export function fsError(path: ByteString, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.errno !== 'number' || typeof e.code !== 'string') return e;
  const errno = Math.abs(e.errno); // libuv's errno is the negated kernel errno on Linux
  return new WatchError(path, errno, strerror(errno, e.message));
}
