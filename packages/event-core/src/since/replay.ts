/**
 * Replayed changes as events: placed on the watch a live event would have come from (the nearest watched
 * directory above the path), filtered like live events, and flagged `replayed`.
 */
import type { ByteString } from '../model/bytes.js';
import type { InotifyEvent } from '../model/event.js';
import type { PathFilter } from '../filter/filter.js';
import {
  IN_ATTRIB, IN_CLOSE_WRITE, IN_CREATE, IN_DELETE, IN_ISDIR, IN_MODIFY, IN_MOVED_FROM, IN_MOVED_TO, asMask,
} from '../model/mask.js';
import type { EventMask } from '../model/mask.js';
import type { Watch } from '../engine/watch-table.js';
import type { Change } from '../backends/parcel/changes.js';
import { asBytes } from '../model/bytes.js';

/** A change that happened while nothing was watching, reported from the state file's snapshot. */
export interface ReplayedEvent extends InotifyEvent {
  readonly replayed: true;
}

/** What replay needs of the engine: its watches (a Watcher qualifies). */
export interface WatchSource {
  readonly backendName: string;
  watches(): Iterable<Watch>;
  /** Resolves once everything queued so far has been read and delivered (Watcher.whenDrained). */
  whenDrained?(): Promise<void>;
}

/**
 * Which replayed kinds a `-e` mask asks for. A snapshot only knows created, changed and deleted, so each
 * stands for the live events that would have reported it: a file written while we were away is what
 * `-e close_write` waits for, a file moved away is gone for `-e moved_from`. 0 means all, as in `-e`.
 */
export function replayMask(requested: EventMask): EventMask {
  const asked = requested === 0 ? ~0 : requested;
  return asMask(
    (asked & (IN_CREATE | IN_MOVED_TO) ? IN_CREATE : 0) |
    (asked & (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE) ? IN_MODIFY : 0) |
    (asked & (IN_DELETE | IN_MOVED_FROM) ? IN_DELETE : 0),
  );
}

interface Placement {
  readonly wd: number;
  readonly watchPath: ByteString;
  readonly name: ByteString;
}

/**
 * Finds, for a full path as the user spelled it, the watch a live event would name: a watched file
 * itself, else the nearest watched directory above it within its root (inotify: the entry's own
 * directory; parcel: the root). With no watch at all (the root is gone) it keeps the root as `%w`, wd −1.
 */
export function placer(source: WatchSource): (full: ByteString, root: ReplayTarget) => Placement {
  const byPath = new Map<ByteString, Watch>();
  for (const watch of source.watches()) if (!watch.dropped) byPath.set(watch.path, watch);
  return (full, root) => {
    const exact = byPath.get(full);
    if (exact && !exact.isDir) return { wd: exact.wd, watchPath: full, name: asBytes('') };
    for (let i = full.lastIndexOf('/'); i >= 0 && i >= root.spelled.length - 1; i = full.lastIndexOf('/', i - 1)) {
      const watch = byPath.get(asBytes(full.slice(0, i + 1)));
      if (watch) return { wd: watch.wd, watchPath: watch.path, name: asBytes(full.slice(i + 1)) };
      if (i === 0) break;
    }
    // The root itself, as the Watcher spelled it: a symlinked directory given without '/' keeps none.
    const rel = asBytes(full.slice(root.spelled.length));
    const own = byPath.get(root.spelled) ?? byPath.get(root.given);
    return own ? { wd: own.wd, watchPath: own.path, name: rel } : { wd: -1, watchPath: root.spelled, name: rel };
  };
}

export interface ReplayTarget {
  /** The root as given. */
  readonly given: ByteString;
  /** The root as given, with `/` appended for a directory. */
  readonly spelled: ByteString;
  readonly isFile: boolean;
}

/** One root's ordered changes as events (`wants` from replayMask; `filter` is the Watcher's). */
export function replayEvents(
  target: ReplayTarget,
  changes: readonly Change[],
  place: ReturnType<typeof placer>,
  wants: EventMask,
  filter: PathFilter | undefined,
  time: number,
): ReplayedEvent[] {
  const out: ReplayedEvent[] = [];
  for (const change of changes) {
    let bit = change.kind === 'create' ? IN_CREATE : change.kind === 'delete' ? IN_DELETE : IN_MODIFY;
    // A file created while nobody watched was written too: asked only for writes (`-e close_write`, the
    // rsync loop), it is replayed as one rather than lost.
    if (bit === IN_CREATE && !(wants & IN_CREATE) && wants & IN_MODIFY && !change.isDir) bit = IN_MODIFY;
    if (!(wants & bit)) continue;
    const full = asBytes(target.isFile ? target.spelled : target.spelled + change.rel);
    const { wd, watchPath, name } = place(full, target);
    if (filter && !filter(asBytes(watchPath + name))) continue;
    const mask = asMask(bit | (change.isDir ? IN_ISDIR : 0));
    out.push({ wd, mask, cookie: 0, name, watchPath, time, synthetic: false, replayed: true });
  }
  return out;
}
