/**
 * New directories under parcel. parcel's Linux backend watches a directory it sees created but neither
 * reports nor watches what was already inside it when its watch began: after `mkdir -p a/b/c; touch
 * a/b/c/f` it reports `a` alone, and never anything under `a/b` again. We read each new directory, report
 * its entries as CREATE, and return the subdirectories parcel never saw, which need a subscription of their
 * own (the engine's rescanNewDirs, done for a native-recursive backend).
 */
import type { ByteString } from '../bytes.js';
import type { DirEntry } from '../walk.js';
import { readDir } from '../walk.js';

export interface ScanResult {
  /** Entries found that the batch did not report, parents first. */
  readonly found: { rel: ByteString; isDir: boolean }[];
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
      const child = `${rel}/${entry.name}`;
      if (skip(child)) continue;
      const seen = reported.has(child);
      if (!seen) found.push({ rel: child, isDir: entry.isDir });
      if (!entry.isDir) continue;
      if (watched && !seen) unwatched.push(child);
      visit(child, watched && seen);
    }
  };
  for (const rel of [...newDirs].sort()) visit(rel, true);
  return { found, unwatched };
}

/** Everything below `rel` (its entries, recursively), parents first. */
export function scanTree(root: ByteString, rel: ByteString, skip: (rel: ByteString) => boolean): { rel: ByteString; isDir: boolean }[] {
  const out: { rel: ByteString; isDir: boolean }[] = [];
  const visit = (dir: ByteString): void => {
    for (const entry of entriesOf(root, dir)) {
      const child = `${dir}/${entry.name}`;
      if (skip(child)) continue;
      out.push({ rel: child, isDir: entry.isDir });
      if (entry.isDir) visit(child);
    }
  };
  visit(rel);
  return out;
}

function entriesOf(root: ByteString, rel: ByteString): DirEntry[] {
  try {
    return readDir(`${root}/${rel}`);
  } catch {
    return []; // gone again, or unreadable: its DELETE (if any) follows
  }
}
