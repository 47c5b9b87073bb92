/**
 * The one interface every backend implements. A backend knows how to add and remove watches and how to
 * read records; the engine (watcher.ts) owns the watch table, recursion, moves and filtering on top of it.
 */
import type { ByteString } from '../model/bytes.js';
import type { RawEvent } from '../model/event.js';
import type { EventMask } from '../model/mask.js';

export interface BackendSink {
  /**
   * One read's worth of records. Returning a promise pauses reading until it settles: the kernel queue
   * absorbs the backlog meanwhile (and reports overflow), so memory never grows without bound.
   */
  records(records: RawEvent[]): void | Promise<void>;
  /**
   * Optional: one read's worth of plain records (no directory, IGNORED or overflow bit) as their wd and
   * mask only, `n` of them in kernel order, for a consumer that only counts (no objects are made for
   * them). False: the sink wants them as records() after all, and the backend decodes them.
   */
  counts?(wds: Int32Array, masks: Uint32Array, n: number): boolean;
  /** The backend has read everything queued so far (read() returned EAGAIN). */
  idle(): void;
  /** A read error; the backend stops after it. */
  error(err: Error): void;
}

export interface Backend {
  readonly name: BackendName;
  /**
   * The kernel queue's limit for this instance (fs.inotify.max_queued_events when it was created; a later
   * change applies only to new instances), where there is one.
   */
  readonly queueLimit?: number;
  /** True when one watch on a directory already covers its whole tree (no per-directory watches). */
  readonly nativeRecursion: boolean;
  /**
   * True when every record the backend hands over is a fresh object of its own with an InotifyEvent's
   * fields already (watchPath '', time 0, synthetic false, in that order after the RawEvent's): the engine
   * then fills in and delivers the record itself instead of a copy (one object per event, not two).
   */
  readonly recordsAreEvents?: boolean;
  /**
   * Adds (or updates the mask of) a watch; returns its descriptor. A path already watched (the same inode)
   * returns the same descriptor. Throws a typed error (WatchError, WatchLimitError).
   */
  addWatch(path: ByteString, mask: EventMask): number;
  /**
   * Optional. New subdirectories of this directory (`path`, ending in `/`) are watched with `mask` by the
   * thread that reads the kernel queue, as soon as their CREATE or MOVED_TO is read (nested ones too).
   */
  follow?(wd: number, path: ByteString, mask: EventMask): void;
  /** Optional. The engine has handled this watch's IGNORED: whatever the backend keeps for it can go. */
  forget?(wd: number): void;
  /**
   * Optional. Reads, synchronously, everything queued in the kernel right now and returns it (instead of
   * handing it to the sink): the engine handles it after the records it has.
   */
  readAhead?(): RawEvent[];
  /** Removes a watch; an IN_IGNORED record for it follows. */
  removeWatch(wd: number): void;
  /**
   * Reads, synchronously, whatever is queued right now and hands it to the sink (ignoring backpressure):
   * for a final count when a signal arrives before the poll's wake-up does. Optional.
   */
  readNow?(): void;
  /** Starts reading; records go to the sink until close(). */
  start(sink: BackendSink): void;
  /** Stops reading and releases the kernel objects. Safe to call twice. */
  close(): Promise<void>;
  /**
   * Optional. For backends whose addWatch only starts an asynchronous subscription (parcel): resolves once
   * every watch added so far is established, or rejects with the first failure as a WatchError. A CLI awaits
   * it before printing `Watches established.`. Backends without it are ready when addWatch returns.
   */
  ready?(): Promise<void>;
  /**
   * Optional. For nativeRecursion backends, which do their own walking: what the engine's walk would
   * otherwise decide. Call it before the first addWatch; it applies to the watches added after it.
   */
  configure?(tree: TreeOptions): void;
}

/** How a natively recursive backend covers a watched directory. */
export interface TreeOptions {
  /** Watch the whole tree; false: the directory and its direct entries only. */
  readonly recursive: boolean;
  /** Directories left out entirely (the `@` exclusions), as the user spelled them. */
  readonly excludeDirs?: Iterable<ByteString>;
}

export type BackendName = 'inotify' | 'fanotify' | 'parcel';
