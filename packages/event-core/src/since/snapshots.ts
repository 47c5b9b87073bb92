/**
 * Snapshots per watched root: parcel's for directories (written and diffed by parcel's own tree walk, or
 * FSEvents history on macOS), a stat record for a watched file (parcel snapshots directories only).
 */
import { statSync } from 'node:fs';
import type { ByteString } from '../model/bytes.js';
import { toBuffer } from '../model/bytes.js';
import type { ChangeKind } from '../backends/parcel/changes.js';
import type { ParcelBackendType, ParcelModule } from '../backends/parcel/parcel-module.js';
import { NameRecovery, isUnder, parcelIgnore, parcelText, relativeTo } from '../backends/parcel/paths.js';
import type { Scope } from './scope.js';
import { scopeOf } from './scope.js';
import type { FileRecord, RootToWrite } from './state-file.js';
import { asBytes } from '../model/bytes.js';

/** A watched root as the snapshots see it. */
export interface SnapshotRoot {
  /** Real path (symlinks resolved): the identity of a root across runs. */
  readonly real: ByteString;
  readonly realText: string;
  readonly isFile: boolean;
  readonly recursive: boolean;
  /** Excluded subtrees and our own state file, relative to the root. */
  readonly skip: readonly ByteString[];
}

export interface RawChange {
  readonly rel: ByteString;
  readonly kind: ChangeKind;
}

export class Snapshotter {
  constructor(
    readonly parcel: ParcelModule,
    readonly backend: ParcelBackendType,
  ) {}

  /**
   * Snapshots a root now; a directory's snapshot goes to the file `out`, with its scope. Undefined when the
   * root is gone (deleted while watched): it has no state to keep, and comes back as a new root.
   */
  async take(root: SnapshotRoot, out: string): Promise<RootToWrite | undefined> {
    try {
      if (root.isFile) return fileRecord(root.real);
      await this.parcel.writeSnapshot(root.realText, out, { ignore: ignoreFor(root), backend: this.backend });
      return { kind: 'dir', path: root.real, snapshots: [{ file: out, scope: scopeNow(root) }] };
    } catch (err) {
      if (isGone(root)) return undefined;
      throw err;
    }
  }

  /**
   * What changed in a root since `baseline`: a watched file's record, or the file a directory's snapshot
   * was extracted to. Paths parcel's walk now leaves out (newly excluded, deeper than a non-recursive
   * watch) are dropped, not reported as deleted; paths the snapshot did not cover are the caller's to sift
   * (they come as created).
   */
  async changesSince(root: SnapshotRoot, baseline: FileRecord | string): Promise<RawChange[]> {
    if (isGone(root)) return []; // its deletion is for the live watch (or the watcher) to report
    if (typeof baseline !== 'string') {
      const now = fileRecord(root.real);
      const same = now.ino === baseline.ino && now.size === baseline.size && now.mtimeNs === baseline.mtimeNs;
      return same ? [] : [{ rel: asBytes(''), kind: 'update' }];
    }
    const events = await this.parcel.getEventsSince(root.realText, baseline, { ignore: ignoreFor(root), backend: this.backend });
    const names = new NameRecovery();
    const changes: RawChange[] = [];
    for (const event of events) {
      const relText = relativeTo(root.realText, event.path);
      if (relText === undefined || relText === '') continue;
      const rel = names.bytes(root.real, relText, event.type === 'delete');
      if (root.skip.some((dir) => isUnder(rel, dir)) || (!root.recursive && rel.includes('/'))) continue;
      changes.push({ rel, kind: event.type });
    }
    return changes;
  }
}

/** What a snapshot of this root taken now covers. */
export function scopeNow(root: SnapshotRoot): Scope {
  return scopeOf(root.recursive, root.skip);
}

function ignoreFor(root: SnapshotRoot): (string | RegExp)[] {
  const skip = root.skip.map(parcelText).filter((t): t is string => t !== undefined);
  return parcelIgnore({ dir: root.realText, recursive: root.recursive, skip });
}

/** The root no longer exists as what it was (parcel says "Bad file descriptor" for a missing root). */
function isGone(root: SnapshotRoot): boolean {
  try {
    return statSync(toBuffer(root.real)).isDirectory() === root.isFile;
  } catch {
    return true;
  }
}

/** What identifies a file's content without reading it: inode, size, nanosecond mtime. */
export function fileRecord(real: ByteString): FileRecord {
  const st = statSync(toBuffer(real), { bigint: true });
  return { kind: 'file', path: real, ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) };
}
