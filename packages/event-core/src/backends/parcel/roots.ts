/**
 * The parcel backend's bookkeeping: watched roots (one pseudo watch descriptor each) and the parcel
 * subscriptions serving them, with the rule that gives every changed path to exactly one subscription.
 */
import type { ByteString } from '../../model/bytes.js';
import type { RawEvent } from '../../model/event.js';
import { IN_ATTRIB, IN_CREATE, IN_DELETE, IN_ISDIR, IN_MODIFY, asMask } from '../../model/mask.js';
import type { EventMask } from '../../model/mask.js';
import type { Change } from './changes.js';
import type { EntryStamp } from './new-dirs.js';
import type { ParcelSubscription } from './parcel-module.js';
import { NameRecovery } from './paths.js';
import { sep } from 'node:path';

export interface Root {
  readonly wd: number;
  /** As the user spelled it (messages). */
  readonly spelled: ByteString;
  /** Its real path (symlinks resolved), bytes and text; for a file, the file itself. */
  readonly real: ByteString;
  readonly realText: string;
  readonly isFile: boolean;
  mask: EventMask;
  readonly recursive: boolean;
  /** Excluded subtrees, relative to the root. */
  readonly skip: readonly ByteString[];
  /** Relative paths last seen as directories: a later DELETE of them gets ISDIR. */
  readonly knownDirs: Set<ByteString>;
  /** Paths reported by reading a new directory: parcel's own CREATE of them may be a duplicate. */
  readonly scanned: Map<ByteString, Scanned>;
  readonly names: NameRecovery;
  gone: boolean;
}

export interface Subscription {
  readonly root: Root;
  /** The directory parcel watches (a file root's parent). */
  readonly dirText: string;
  /** '' for the root's own subscription; else the directory (relative) it was added for. */
  readonly relDir: ByteString;
  handle: Promise<ParcelSubscription | undefined> | undefined;
  /**
   * A watched file in a watched directory rides on that directory's subscription: parcel keeps one tree
   * per directory path, shared by every subscription on it whatever their ignore lists, so a second
   * subscription on the same directory could leave the first one's subdirectories unwatched.
   */
  via: Subscription | undefined;
  disposed: boolean;
}

export interface Scanned {
  /** After this (ms since the epoch), parcel's CREATE of the path is no longer taken for a duplicate. */
  readonly expiry: number;
  /** The entry as we read it: a CREATE from parcel that finds it changed since carries a later change. */
  readonly stamp: EntryStamp | undefined;
}

export function newRoot(fields: Omit<Root, 'knownDirs' | 'scanned' | 'names' | 'gone'>): Root {
  return { ...fields, knownDirs: new Set(), scanned: new Map(), names: new NameRecovery(), gone: false };
}

/**
 * A change as the record a root's watch reports, or undefined when its mask does not ask for it. parcel's
 * "updated" is MODIFY, or ATTRIB when only attrib was asked for: it cannot tell the two apart.
 */
export function changeRecord(root: Root, { rel, kind, isDir }: Change): RawEvent | undefined {
  if (isDir && kind !== 'delete') root.knownDirs.add(rel);
  if (kind === 'delete') root.knownDirs.delete(rel);
  // A watched file "created" is one replaced by rename (an editor's save): for its watcher, new content.
  const effective = rel === '' && kind === 'create' ? 'update' : kind;
  const bit =
    effective === 'create' ? root.mask & IN_CREATE
    : effective === 'delete' ? root.mask & IN_DELETE
    : root.mask & IN_MODIFY ? IN_MODIFY : root.mask & IN_ATTRIB;
  return bit ? { wd: root.wd, mask: asMask(bit | (isDir ? IN_ISDIR : 0)), cookie: 0, name: rel } : undefined;
}

export class SubscriptionSet {
  readonly #subs: Subscription[] = [];

  add(sub: Subscription): void {
    this.#subs.push(sub);
  }

  /** Every live subscription of a root (or of all roots). */
  of(root?: Root): Subscription[] {
    return this.#subs.filter((s) => !s.disposed && (root === undefined || s.root === root));
  }

  dispose(sub: Subscription): void {
    sub.disposed = true;
    const index = this.#subs.indexOf(sub);
    if (index >= 0) this.#subs.splice(index, 1);
  }

  /** A directory root's own subscription of exactly this directory. */
  carrierFor(dirText: string): Subscription | undefined {
    return this.of().find((s) => s.relDir === '' && !s.root.isFile && !s.root.gone && s.dirText === dirText);
  }

  /** Watched files on their own subscription of this directory. */
  filesOn(dirText: string): Subscription[] {
    return this.of().filter((s) => s.root.isFile && s.via === undefined && s.dirText === dirText);
  }

  /** Subscriptions riding on this one. */
  riders(carrier: Subscription): Subscription[] {
    return this.of().filter((s) => s.via === carrier);
  }

  /**
   * The one subscription that reports a change at `abs`: a watched file's own; else the deepest one whose
   * directory strictly contains it; else a root's own subscription for the root itself. Nested roots
   * (`d` and `d/sub` both watched) and our extra subscriptions for missed directories overlap this way
   * without reporting a change twice, and a root's own attribute changes show on the parent root as an
   * entry, as inotify's per-directory watches do.
   */
  owner(abs: string): Subscription | undefined {
    let best: Subscription | undefined;
    let bestRank = -2;
    for (const sub of this.#subs) {
      if (sub.disposed || sub.root.gone) continue;
      let rank: number;
      if (sub.root.isFile) rank = abs === sub.root.realText ? Infinity : -2;
      else if (abs.startsWith(sub.dirText.endsWith(sep) ? sub.dirText : sub.dirText + sep)) rank = sub.dirText.length;
      else rank = abs === sub.dirText && sub.relDir === '' ? -1 : -2;
      if (rank > bestRank) [best, bestRank] = [sub, rank];
    }
    return best;
  }
}
