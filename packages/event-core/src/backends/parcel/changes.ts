/**
 * parcel's per-path changes (live batches and snapshot replays alike), put in a useful order with what
 * can be known about directories. parcel sorts a batch by path and keeps no time order, so we choose one
 * that a mirror can apply: deletions deepest first, then creations and updates parents first.
 */
import { lstatSync } from 'node:fs';
import type { ByteString } from '../../model/bytes.js';
import { toBuffer } from '../../model/bytes.js';
import { asBytes } from '../../model/bytes.js';

export type ChangeKind = 'create' | 'update' | 'delete';

export interface Change {
  /** Path relative to the watched root, `/`-separated bytes; '' for the root itself. */
  readonly rel: ByteString;
  readonly kind: ChangeKind;
  /** Undefined when unknown: a deleted path that had no deleted entries and was never seen as a dir. */
  readonly isDir: boolean | undefined;
}

/** lstat: is this (existing) path a directory? Undefined when it is gone already. */
export function isDirNow(path: ByteString): boolean | undefined {
  try {
    return lstatSync(toBuffer(path)).isDirectory();
  } catch {
    return undefined;
  }
}

/**
 * Orders a batch and fills in `isDir`. For creations and updates `statDir(rel)` says (lstat now); a deleted
 * path is a directory when entries below it were deleted in the same batch, or when `knownDir(rel)`.
 */
export function orderChanges(
  raw: Iterable<{ rel: ByteString; kind: ChangeKind }>,
  statDir: (rel: ByteString) => boolean | undefined,
  knownDir: (rel: ByteString) => boolean = () => false,
): Change[] {
  const deletes: ByteString[] = [];
  const others: { rel: ByteString; kind: ChangeKind }[] = [];
  for (const change of raw) {
    if (change.kind === 'delete') deletes.push(change.rel);
    else others.push(change);
  }

  const parentsOfDeleted = new Set<ByteString>();
  for (const rel of deletes) {
    for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
      const parent = asBytes(rel.slice(0, i));
      if (parentsOfDeleted.has(parent)) break; // its own ancestors are in already
      parentsOfDeleted.add(parent);
    }
  }
  const out: Change[] = [];
  for (const rel of deletes.sort(byBytes).reverse()) {
    out.push({ rel, kind: 'delete', isDir: parentsOfDeleted.has(rel) || knownDir(rel) ? true : undefined });
  }
  for (const { rel, kind } of others.sort((a, b) => byBytes(a.rel, b.rel))) {
    out.push({ rel, kind, isDir: statDir(rel) });
  }
  return out;
}

function byBytes(a: ByteString, b: ByteString): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
