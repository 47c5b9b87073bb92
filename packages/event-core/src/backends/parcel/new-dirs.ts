/**
 * New directories under parcel. parcel's Linux backend watches a directory it sees created but neither
 * reports nor watches what was already inside it when its watch began: after `mkdir -p a/b/c; touch
 * a/b/c/f` it reports `a` alone, and never anything under `a/b` again. We read each new directory, report
 * its entries as CREATE, and return the subdirectories parcel never saw, which need a subscription of their
 * own (the engine's rescanNewDirs, done for a native-recursive backend).
 */
import { lstatSync } from 'node:fs';
import type { ByteString } from '../../model/bytes.js';
import { toBuffer } from '../../model/bytes.js';
import type { DirEntry } from '../../engine/walk.js';
import { readDir } from '../../engine/walk.js';
import { asBytes } from '../../model/bytes.js';

/** What an entry looked like when we read it (and reported it), to tell later changes from none. */
export interface EntryStamp {
  readonly ino: bigint;
  readonly isDir: boolean;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

export interface FoundEntry {
  readonly rel: ByteString;
  readonly isDir: boolean;
  /** Undefined when it vanished between the read and the lstat. */
  readonly stamp: EntryStamp | undefined;
}

export interface ScanResult {
  /** Entries found that the batch did not report, parents first. */
  readonly found: FoundEntry[];
  /** The topmost directories parcel did not report, so did not watch. */
  readonly unwatched: ByteString[];
}

/**
 * Reads the directories `newDirs` (relative to `root`, reported created in this batch) and what is below
 * them. `reported` holds every path the batch created; `skip` prunes excluded subtrees.
 */
export function scanNewDirs(
  root: ByteString,
  newDirs: ByteString[],
  reported: ReadonlySet<ByteString>,
  skip: (rel: ByteString) => boolean,
): ScanResult {
  const found: ScanResult['found'] = [];
  const unwatched: ByteString[] = [];
  const visited = new Set<ByteString>();
  const visit = (rel: ByteString, watched: boolean): void => {
    if (visited.has(rel)) return;
    visited.add(rel);
    for (const entry of entriesOf(root, rel)) {
      const child = asBytes(`${rel}/${entry.name}`);
      if (skip(child)) continue;
      const seen = reported.has(child);
      if (!seen) found.push({ rel: child, isDir: entry.isDir, stamp: stampOf(asBytes(`${root}/${child}`)) });
      if (!entry.isDir) continue;
      if (watched && !seen) unwatched.push(child);
      visit(child, watched && seen);
    }
  };
  for (const rel of [...newDirs].sort()) visit(rel, true);
  return { found, unwatched };
}

/** Everything below `rel` (its entries, recursively), parents first. */
export function scanTree(root: ByteString, rel: ByteString, skip: (rel: ByteString) => boolean): FoundEntry[] {
  const out: FoundEntry[] = [];
  const visit = (dir: ByteString): void => {
    for (const entry of entriesOf(root, dir)) {
      const child = asBytes(`${dir}/${entry.name}`);
      if (skip(child)) continue;
      out.push({ rel: child, isDir: entry.isDir, stamp: stampOf(asBytes(`${root}/${child}`)) });
      if (entry.isDir) visit(child);
    }
  };
  visit(rel);
  return out;
}

function entriesOf(root: ByteString, rel: ByteString): DirEntry[] {
  try {
    return readDir(asBytes(`${root}/${rel}`));
  } catch {
    return []; // gone again, or unreadable: its DELETE (if any) follows
  }
}

/** lstat as a stamp; undefined when the path is gone. */
export function stampOf(path: ByteString): EntryStamp | undefined {
  try {
    const st = lstatSync(toBuffer(path), { bigint: true });
    return { ino: st.ino, isDir: st.isDirectory(), size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
  } catch {
    return undefined;
  }
}

/**
 * Did the entry at `path` change since `then` (taken when we read and reported it)? parcel merges every
 * change to a path within one batch into its "create", so a "create" for an entry we reported can also
 * carry a later write: only the inode says. A file changed when its inode, size, mtime or ctime did (with
 * multigrain timestamps, Linux 6.13+, our lstat makes the next change's ctime distinct; on older kernels a
 * write that keeps the size within the same clock tick as our read looks unchanged). A directory's times
 * change with its entries, which parcel reports itself, so only a ctime change without an mtime change
 * (chmod, chown, xattrs) counts. Gone now: not changed, its DELETE follows.
 */
export function changedSince(then: EntryStamp | undefined, path: ByteString): boolean {
  const now = stampOf(path);
  if (now === undefined) return false;
  if (then === undefined || now.ino !== then.ino || now.isDir !== then.isDir) return true;
  if (now.isDir) return now.ctimeNs !== then.ctimeNs && now.mtimeNs === then.mtimeNs;
  return now.size !== then.size || now.mtimeNs !== then.mtimeNs || now.ctimeNs !== then.ctimeNs;
}
