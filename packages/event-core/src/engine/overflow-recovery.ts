/**
 * After a queue overflow, once the queue is drained (`recoverOverflow`): forget the watches whose
 * directories are gone (their IGNORED may have been lost), and watch and report the directories that
 * appeared in a recursive tree meanwhile, with what they hold (as the rescan of a new directory does).
 * Files changed during the overflow cannot be known; the Q_OVERFLOW event itself says so.
 */
import { lstatSync } from 'node:fs';
import type { ByteString } from '../model/bytes.js';
import { asBytes, toBuffer } from '../model/bytes.js';
import type { InotifyEvent } from '../model/event.js';
import type { Batch } from './batch.js';
import type { EngineContext } from './context.js';
import type { NewDirRescan } from './new-dir-rescan.js';

export function recoverFromOverflow(
  ctx: EngineContext, rescan: NewDirRescan, batch: Batch, time: number, out: InotifyEvent[], forget: (wd: number) => void,
): void {
  for (const watch of [...ctx.table.values()]) {
    if (watch.dropped || !watch.isDir) continue;
    if (!isRealDir(watch.path)) {
      ctx.backend.removeWatch(watch.wd);
      forget(watch.wd);
      continue;
    }
    if (!watch.recursive || !ctx.follow) continue;
    const parent = ctx.table.byPath(parentDir(watch.path));
    const entries = rescan.readOwn(watch, parent?.wd, baseName(watch.path), batch);
    if (!entries) continue;
    for (const entry of entries) {
      if (entry.isDir && !ctx.table.byPath(asBytes(watch.path + entry.name + '/'))) rescan.found(watch, entry.name, batch, time, out);
    }
  }
}

export function isRealDir(path: ByteString): boolean {
  try {
    return lstatSync(toBuffer(path)).isDirectory();
  } catch {
    return false;
  }
}

/** `a/b/` → `a/` (directory paths end in `/`). */
function parentDir(dirPath: ByteString): ByteString {
  const cut = dirPath.lastIndexOf('/', dirPath.length - 2);
  return asBytes(cut < 0 ? '' : dirPath.slice(0, cut + 1));
}

function baseName(dirPath: ByteString): ByteString {
  return asBytes(dirPath.slice(dirPath.lastIndexOf('/', dirPath.length - 2) + 1, -1));
}
