/**
 * What a `--since` snapshot of a directory root covers. A snapshot is a baseline only for the paths its walk
 * saw: with `-r` or without, with or without `@` exclusions. Comparing it with a walk of a wider scope
 * would report everything newly walked as created, so each snapshot is stored with its scope and a path is
 * compared with the newest snapshot that covered it (its owner), and with none when no snapshot did.
 */
import type { ByteString } from '../model/bytes.js';
import { isUnder } from '../backends/parcel/paths.js';
import { asBytes } from '../model/bytes.js';

export interface Scope {
  /** False: only the root's direct entries. */
  readonly recursive: boolean;
  /** Subtrees left out (`@` exclusions, the state file itself), relative to the root, `/`-separated. */
  readonly skip: readonly ByteString[];
}

/** The scope in a canonical form (sorted, no duplicates), so that equal scopes store equally. */
export function scopeOf(recursive: boolean, skip: Iterable<ByteString>): Scope {
  return { recursive, skip: [...new Set(skip)].sort() };
}

/** Does a snapshot of this scope see the path `rel` (relative to the root, not the root itself)? */
export function covers(scope: Scope, rel: ByteString): boolean {
  return (scope.recursive || !rel.includes('/')) && !scope.skip.some((dir) => isUnder(rel, dir));
}

/**
 * Does `outer` cover every path `inner` covers? Conservative: false when that depends on the tree (a
 * recursive `inner` is never inside a non-recursive `outer`).
 */
export function contains(outer: Scope, inner: Scope): boolean {
  if (inner.recursive && !outer.recursive) return false;
  // Each subtree `outer` leaves out must be left out by `inner` too (or lie deeper than `inner` looks).
  return outer.skip.every((dir) => inner.skip.some((its) => isUnder(dir, its)) || (!inner.recursive && dir.includes('/')));
}

/** The index of the first (newest) scope that covers `rel`; undefined when none does (no baseline). */
export function ownerOf(scopes: readonly Scope[], rel: ByteString): number | undefined {
  const i = scopes.findIndex((scope) => covers(scope, rel));
  return i < 0 ? undefined : i;
}

/**
 * The scopes to keep after a new snapshot of scope `newest`: it, then each older one that still covers a path
 * no kept newer one does (its snapshot stays the baseline there). In order, newest first; indexes into `older`.
 */
export function stillNeeded(newest: Scope, older: readonly Scope[]): number[] {
  const kept: Scope[] = [newest];
  const out: number[] = [];
  older.forEach((scope, i) => {
    if (kept.some((k) => contains(k, scope))) return;
    kept.push(scope);
    out.push(i);
  });
  return out;
}

/** A change in one root, relative to it (RawChange, without the import cycle). */
interface RelChange {
  readonly rel: ByteString;
  readonly kind: 'create' | 'update' | 'delete';
}

/**
 * The changes to replay in one root, from its snapshots' diffs against the current walk (`diffs[i]` against
 * the snapshot of `scopes[i]`, newest first; undefined when not computed because nothing it owns is walked).
 * Each path is taken from its owner's diff. A path no snapshot covered has no baseline and is left out, except
 * below a directory that was itself created since its baseline: everything in there is new.
 */
export function siftByOwner<C extends RelChange>(scopes: readonly Scope[], diffs: readonly (readonly C[] | undefined)[]): C[] {
  const kept: C[] = [];
  const created = new Set<ByteString>();
  const unowned: C[] = [];
  diffs.forEach((diff, i) => {
    for (const change of diff ?? []) {
      const owner = ownerOf(scopes, change.rel);
      if (owner === i) {
        kept.push(change);
        if (change.kind === 'create') created.add(change.rel);
      } else if (owner === undefined && change.kind === 'create' && diff === diffs.find((d) => d)) {
        unowned.push(change); // from one diff only: every diff has it
      }
    }
  });
  for (const change of unowned) if (ancestors(change.rel).some((dir) => created.has(dir))) kept.push(change);
  return kept;
}

/** `a`, `a/b` for `a/b/c`. */
function ancestors(rel: ByteString): ByteString[] {
  const out: ByteString[] = [];
  for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) out.push(asBytes(rel.slice(0, i)));
  return out;
}
