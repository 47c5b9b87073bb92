/** The roots `--since` keeps state for: resolved to real paths, one per real path, exclusions applied. */
import { statSync } from 'node:fs';
import type { ByteString } from '../model/bytes.js';
import { toBuffer } from '../model/bytes.js';
import { SinceRootError } from '../backends/parcel/errors.js';
import { excludedRel, parcelText, realPath } from '../backends/parcel/paths.js';
import type { SnapshotRoot } from './snapshots.js';
import { asBytes } from '../model/bytes.js';

export interface SinceRoot extends SnapshotRoot {
  /** As the user gave it. */
  readonly given: ByteString;
  /** As `%w` shows it: a directory with `/` appended (the Watcher's spelling). */
  readonly spelled: ByteString;
  /** The state file's path relative to this root, when the state file lies inside it. */
  readonly ownRel: ByteString | undefined;
}

/**
 * Roots that exist, first spelling kept for a real path given twice. A missing root is skipped: adding
 * its watch reports it as inotifywait does. `stateReal` is the state file's real path.
 */
export function resolveRoots(
  roots: readonly ByteString[],
  options: { recursive: boolean; excludeDirs?: Iterable<ByteString> },
  stateReal: ByteString,
): SinceRoot[] {
  const excludes = [...(options.excludeDirs ?? [])];
  const out: SinceRoot[] = [];
  const seen = new Set<ByteString>();
  for (const given of roots) {
    let real: ByteString;
    let isFile: boolean;
    try {
      isFile = !statSync(toBuffer(given)).isDirectory();
      real = realPath(given);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const realText = parcelText(real);
    if (realText === undefined) throw new SinceRootError(given, 'its real path is not valid UTF-8, which @parcel/watcher needs');
    const prefix = real.endsWith('/') ? real : asBytes(real + '/');
    const ownRel = !isFile && stateReal.startsWith(prefix) ? asBytes(stateReal.slice(prefix.length)) : undefined;
    const skip = isFile ? [] : excludes.map((dir) => excludedRel(real, dir)).filter((rel): rel is ByteString => rel !== undefined);
    if (ownRel !== undefined) skip.push(ownRel);
    const spelled = isFile || given.endsWith('/') ? given : asBytes(given + '/');
    out.push({ given, spelled, real, realText, isFile, recursive: options.recursive, skip, ownRel });
  }
  return out;
}
