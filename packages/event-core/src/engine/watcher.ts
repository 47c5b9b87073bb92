/**
 * The engine: raw records → resolved, filtered events. It owns the watch table and keeps it true through
 * recursion, renames and removals, and reports what inotify alone would lose:
 *
 * - New directories (CREATE, or an unpaired MOVED_TO, of a directory in a recursive tree) are watched and
 *   then read; entries the stream has not reported yet come out as synthetic CREATEs, recursively, so
 *   `mkdir -p a/b/c && touch a/b/c/f` is seen in full.
 * - Directory renames are paired by cookie and rewrite the paths of every nested watch; a directory moved
 *   out of the tree drops all its nested watches.
 * - Q_OVERFLOW always reaches the consumer; IGNORED frees the watch's entry.
 */
import type { Backend, BackendSink } from '../backends/backend.js';
import type { ByteString } from '../model/bytes.js';
import type { InotifyKitError } from '../model/errors.js';
import { withoutYoungGrowth } from './young-generation.js';
import { NewDirWatchError, SystemError, WatchError, WatchLimitError, strerror } from '../model/errors.js';
import type { BatchInfo, InotifyEvent, RawEvent } from '../model/event.js';
import type { PathFilter } from '../filter/filter.js';
import {
  IN_ACCESS, IN_CLOSE_NOWRITE, IN_CREATE, IN_DELETE, IN_IGNORED, IN_ISDIR, IN_MOVED_FROM, IN_MOVED_TO,
  IN_OPEN, IN_Q_OVERFLOW,
} from '../model/mask.js';
import type { EventMask } from '../model/mask.js';
import { createBackend } from '../backends/platform.js';
import type { BackendChoice } from '../backends/platform.js';
import type { DirEntry } from './walk.js';
import { isSkippableWalkError, readDir } from './walk.js';
import type { Watch } from './watch-table.js';
import { WatchTable } from './watch-table.js';
import { lstatSync } from 'node:fs';
import { toBuffer } from '../model/bytes.js';
import { asBytes } from '../model/bytes.js';
import { epochMs } from './clock.js';

export interface WatcherOptions {
  /** The kernel mask for every watch (the requested events plus what recursion needs). */
  readonly mask: EventMask;
  /** Watch directory trees, not single directories. */
  readonly recursive?: boolean;
  /** Follow directories created or moved into a recursive tree later. Default: `recursive`. */
  readonly followNewDirs?: boolean;
  /**
   * Read each new directory and report what is already in it as CREATE events (lossless). Off gives
   * inotify-tools' behaviour: entries created before the new watch existed are lost. Default true.
   */
  readonly rescanNewDirs?: boolean;
  /** `@` exclusions: directories (`<parent>/<name>/`, exact spelling) the start-up walk skips. */
  readonly excludeDirs?: Iterable<ByteString>;
  /** Prunes a directory (its path ends in `/`) from every walk, start-up and new. */
  readonly pruneDir?: (dirPath: ByteString) => boolean;
  /** Keeps or drops an event by `%w%f`. Q_OVERFLOW is never dropped. */
  readonly filter?: PathFilter;
  /**
   * After a queue overflow, once the queue is drained: forget watches whose directories are gone and
   * watch (and report, as synthetic CREATEs) directories that appeared in a recursive tree meanwhile.
   * Files changed during the overflow cannot be known; the Q_OVERFLOW event itself says so.
   */
  readonly recoverOverflow?: boolean;
  /** Which backend; default: the platform's own (inotify on Linux). Create a parcel one with loadBackend(). */
  readonly backend?: BackendChoice | Backend;
}

export interface WatcherHandlers {
  /** A batch of events (one kernel read). A returned promise pauses reading until it settles. */
  batch(events: InotifyEvent[], info: BatchInfo): void | Promise<void>;
  /** Something went wrong but watching goes on (a new directory that could not be watched). */
  warning?(err: InotifyKitError): void;
  /** Reading failed; no more batches come. */
  error?(err: Error): void;
  /** Everything queued has been read and handed over (unpaired moves are final now). */
  idle?(): void;
  /** close() was called: no more batches come. */
  closed?(): void;
}

const SELF_READ_MASK = IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE;

export class Watcher {
  readonly #options: WatcherOptions;
  readonly #backend: Backend;
  readonly #table = new WatchTable();
  readonly #excludes: Set<ByteString>;
  readonly #follow: boolean;
  readonly #rescan: boolean;
  /** MOVED_FROM of a watched directory, by cookie, waiting for its MOVED_TO: the old directory path. */
  readonly #pendingMoves = new Map<number, ByteString>();
  /** Names reported by reading a new directory, per wd: the kernel's own CREATE for them is a duplicate. */
  readonly #scanned = new Map<number, Set<ByteString>>();
  /** `wd\0name` of directories we just read: the OPEN/ACCESS/CLOSE_NOWRITE that caused are ours. */
  readonly #selfReads = new Set<string>();
  #handlers: WatcherHandlers | undefined;
  #closed = false;
  #overflowed = false;
  /** Callers of whenDrained(), released at the next idle. */
  #drainWaiters: (() => void)[] = [];

  constructor(options: WatcherOptions) {
    this.#options = options;
    this.#backend =
      typeof options.backend === 'object' ? options.backend : createBackend(options.backend ?? 'auto');
    this.#excludes = new Set([...(options.excludeDirs ?? [])].map((p) => (p.endsWith('/') ? p : asBytes(p + '/'))));
    // A backend that walks by itself (parcel) is told what the engine's walk would have decided.
    if (this.#backend.nativeRecursion) {
      this.#backend.configure?.({ recursive: options.recursive ?? false, excludeDirs: options.excludeDirs });
    }
    this.#follow = (options.followNewDirs ?? options.recursive ?? false) && !this.#backend.nativeRecursion;
    this.#rescan = options.rescanNewDirs ?? true;
  }

  get backendName(): string {
    return this.#backend.name;
  }

  /** Number of live watches (dropped ones awaiting IGNORED included). */
  get watchCount(): number {
    return this.#table.size;
  }

  /** The watches, for tools that list or count per watch. */
  watches(): IterableIterator<Watch> {
    return this.#table.values();
  }

  watchByWd(wd: number): Watch | undefined {
    return this.#table.get(wd);
  }

  /**
   * Watches a path as the user spelled it (a byte string): the directory tree under it when recursive.
   * Throws WatchError / WatchLimitError (naming this path) on the first failure, as inotify-tools does.
   */
  add(path: ByteString): void {
    if (this.#options.recursive && !this.#backend.nativeRecursion) {
      let entries: DirEntry[] | undefined;
      try {
        entries = readDir(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw this.#fsError(path, err);
      }
      if (entries) {
        const dirPath = asBytes(path.endsWith('/') ? path : path + '/');
        withoutYoungGrowth(() => this.#walkStartup(dirPath, entries!, path));
        return;
      }
    }
    const wd = this.#backend.addWatch(path, this.#options.mask);
    this.#table.add(wd, path, false, false);
    const watch = this.#table.get(wd)!;
    if (watch.path === path && !path.endsWith('/') && isRealDir(path)) {
      // `%w` gets a '/' for a directory; lstat, so a symlink to a directory keeps its bare name.
      this.#table.delete(wd);
      this.#table.add(wd, asBytes(path + '/'), true, false);
    }
  }

  /** Removes the watch on a path (as given to add, directories with their trailing `/`). */
  remove(path: ByteString): boolean {
    const watch = this.#table.byPath(path) ?? this.#table.byPath(asBytes(path + '/'));
    if (!watch) return false;
    this.#backend.removeWatch(watch.wd);
    return true;
  }

  /** Post-order, like inotify-tools: children are watched before their parent (this fixes wd order). */
  #walkStartup(dirPath: ByteString, entries: DirEntry[], topPath: ByteString): void {
    for (const entry of entries) {
      if (!entry.isDir) continue;
      const child = asBytes(dirPath + entry.name + '/');
      if (this.#excludes.has(child) || this.#options.pruneDir?.(child)) continue;
      let childEntries: DirEntry[];
      try {
        childEntries = readDir(child);
      } catch (err) {
        if (isSkippableWalkError(err)) continue;
        throw this.#fsError(child, err);
      }
      this.#walkStartup(child, childEntries, topPath);
    }
    let wd: number;
    try {
      wd = this.#backend.addWatch(dirPath, this.#options.mask);
    } catch (err) {
      if (err instanceof WatchLimitError) throw new WatchLimitError(topPath, err.errno, err.reason);
      if (dirPath !== topPath + '/' && dirPath !== topPath && err instanceof WatchError && isSkippableErrno(err.errno)) return;
      throw err;
    }
    this.#table.add(wd, dirPath, true, true);
  }

  #fsError(path: ByteString, err: unknown): Error {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.errno !== 'number') return e;
    const errno = Math.abs(e.errno); // libuv's errno is the negated kernel errno on Linux
    return new WatchError(path, errno, strerror(errno, e.message));
  }

  /** Starts delivering events. Call after the initial add()s. */
  start(handlers: WatcherHandlers): void {
    this.#handlers = handlers;
    const sink: BackendSink = {
      records: (records) => this.#onRecords(records),
      idle: () => this.#onIdle(),
      error: (err) => handlers.error?.(err),
    };
    this.#backend.start(sink);
  }

  /** The events as an async iterable (an alternative to start()); slow consumption pauses reading. */
  events(): AsyncIterableIterator<InotifyEvent> {
    const queue: InotifyEvent[] = [];
    let wakeConsumer: (() => void) | undefined;
    let resumeReader: (() => void) | undefined;
    let failure: Error | undefined;
    this.start({
      batch: (events) => {
        queue.push(...events);
        wakeConsumer?.();
        return new Promise<void>((resolve) => (resumeReader = resolve));
      },
      error: (err) => {
        failure = err;
        wakeConsumer?.();
      },
      // close() from elsewhere ends a pending next() (it would wait forever: exit 13 at top level).
      closed: () => wakeConsumer?.(),
    });
    // The iterator's methods get `this` bound to the iterator object, not to the watcher.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<InotifyEvent>> {
        for (;;) {
          const event = queue.shift();
          if (event) return { value: event, done: false };
          if (failure) throw failure;
          if (self.#closed) return { value: undefined, done: true };
          const resume = resumeReader;
          resumeReader = undefined;
          resume?.();
          await new Promise<void>((resolve) => (wakeConsumer = resolve));
          wakeConsumer = undefined;
        }
      },
      async return(): Promise<IteratorResult<InotifyEvent>> {
        await self.close();
        return { value: undefined, done: true };
      },
    };
  }

  /**
   * Resolves once the backend has read everything queued at the time of the call (its next idle), and
   * the consumer has taken it. For knowing when events caused by our own actions have all come past.
   */
  whenDrained(): Promise<void> {
    const drained = new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
    // A backend asleep in poll() has nothing to read and would not report idle until the next event:
    // read now (readNow ends with idle). One without readNow reports idle after its next batch.
    setImmediate(() => {
      if (!this.#closed && this.#handlers) this.flush();
    });
    return drained;
  }

  /** Delivers, synchronously, every event queued in the kernel right now (before a final report). */
  flush(): void {
    this.#backend.readNow?.();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers?.closed?.();
    await this.#backend.close();
  }

  #onRecords(records: RawEvent[]): void | Promise<void> {
    const time = epochMs();
    const out: InotifyEvent[] = [];
    for (const record of records) this.#handle(record, time, out);
    if (out.length === 0 && this.#handlers!.batch.length === 0) return;
    return this.#handlers!.batch(out, { read: records.length });
  }

  #handle(record: RawEvent, time: number, out: InotifyEvent[]): void {
    const { wd, mask, name } = record;
    if (mask & IN_Q_OVERFLOW) {
      out.push({ ...record, watchPath: asBytes(''), time, synthetic: false });
      this.#overflowed = this.#options.recoverOverflow === true;
      return;
    }
    const watch = this.#table.get(wd);
    if (!watch) return; // a record for a watch already gone
    if (watch.dropped && !(mask & IN_IGNORED)) return;

    if (mask & IN_ISDIR && mask & SELF_READ_MASK && this.#selfReads.has(`${wd}\0${name}`)) return;
    if (name !== '' && this.#scanned.size > 0 && this.#dedupe(wd, mask, name)) return;

    const event: InotifyEvent = { wd, mask, cookie: record.cookie, name, watchPath: watch.path, time, synthetic: false };
    if (this.#keep(event)) out.push(event);

    if (mask & IN_ISDIR) {
      if (mask & IN_MOVED_FROM) this.#movedFrom(watch, record);
      else if (mask & IN_MOVED_TO) this.#movedTo(watch, record, time, out);
      else if (mask & IN_CREATE && this.#follow && watch.recursive) this.#newDir(watch, name, time, out, true);
    }
    if (mask & IN_IGNORED) this.#forget(wd);
  }

  #keep(event: InotifyEvent): boolean {
    const filter = this.#options.filter;
    return filter === undefined || filter(asBytes(event.watchPath + event.name));
  }

  /** True when this kernel CREATE repeats one we already reported from reading the directory. */
  #dedupe(wd: number, mask: EventMask, name: ByteString): boolean {
    const names = this.#scanned.get(wd);
    if (!names || !names.has(name)) return false;
    if (mask & IN_CREATE) {
      names.delete(name);
      return true;
    }
    // Gone again: a later CREATE of the same name is a new file, not a duplicate.
    if (mask & (IN_DELETE | IN_MOVED_FROM)) names.delete(name);
    return false;
  }

  #movedFrom(watch: Watch, record: RawEvent): void {
    const oldDir = asBytes(watch.path + record.name + '/');
    if (this.#table.byPath(oldDir)) this.#pendingMoves.set(record.cookie, oldDir);
  }

  #movedTo(watch: Watch, record: RawEvent, time: number, out: InotifyEvent[]): void {
    const newDir = asBytes(watch.path + record.name + '/');
    const oldDir = this.#pendingMoves.get(record.cookie);
    if (oldDir !== undefined) {
      this.#pendingMoves.delete(record.cookie);
      this.#table.rename(oldDir, newDir);
    } else if (this.#follow && watch.recursive) {
      this.#newDir(watch, record.name, time, out, true);
    }
  }

  /** A directory appeared in a recursive tree: watch it (and what is below it). */
  #newDir(parent: Watch, name: ByteString, time: number, out: InotifyEvent[], top: boolean): void {
    const dirPath = asBytes(parent.path + name + '/');
    if (this.#options.pruneDir?.(dirPath)) return;
    if (!this.#rescan) {
      this.#walkNewDirLikeInotifyTools(dirPath);
      return;
    }
    const watch = this.#watchNewDir(dirPath);
    if (!watch) return;
    // Watch first, then read: anything created after the watch is a kernel event, anything before is in
    // the listing. Reading opens the directory, so its own watch (and, for nested ones, the parent's)
    // reports OPEN/ACCESS/CLOSE_NOWRITE that we caused; those are dropped.
    this.#selfReads.add(`${watch.wd}\0`);
    if (!top) this.#selfReads.add(`${parent.wd}\0${name}`);
    let entries: DirEntry[];
    try {
      entries = readDir(dirPath);
    } catch {
      return; // gone already: its DELETE/IGNORED follow
    }
    let names = this.#scanned.get(watch.wd);
    for (const entry of entries) {
      if (!names) this.#scanned.set(watch.wd, (names = new Set()));
      if (names.has(entry.name)) continue;
      names.add(entry.name);
      const event: InotifyEvent = {
        wd: watch.wd,
        mask: IN_CREATE | (entry.isDir ? IN_ISDIR : 0),
        cookie: 0,
        name: entry.name,
        watchPath: watch.path,
        time,
        synthetic: true,
      };
      if (this.#keep(event)) out.push(event);
      if (entry.isDir) this.#newDir(watch, entry.name, time, out, false);
    }
  }

  #watchNewDir(dirPath: ByteString): Watch | undefined {
    try {
      const wd = this.#backend.addWatch(dirPath, this.#options.mask);
      return this.#table.add(wd, dirPath, true, true);
    } catch (err) {
      if (err instanceof WatchError && isSkippableErrno(err.errno)) return undefined;
      if (err instanceof SystemError) {
        this.#handlers?.warning?.(new NewDirWatchError(dirPath, err.errno, err.reason));
      }
      return undefined;
    }
  }

  /** inotify-tools' way: read the new tree, then watch it post-order; nothing is reported from the listing. */
  #walkNewDirLikeInotifyTools(dirPath: ByteString): void {
    let entries: DirEntry[];
    try {
      entries = readDir(dirPath);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDir && !this.#options.pruneDir?.(asBytes(dirPath + entry.name + '/'))) {
        this.#walkNewDirLikeInotifyTools(asBytes(dirPath + entry.name + '/'));
      }
    }
    this.#watchNewDir(dirPath);
  }

  /** Everything queued has been read: unpaired moves are final, and our own reads are behind us. */
  #onIdle(): void {
    if (this.#overflowed) {
      this.#overflowed = false;
      this.#recover();
    }
    for (const oldDir of this.#pendingMoves.values()) {
      for (const watch of this.#table.under(oldDir)) {
        if (watch.dropped) continue;
        watch.dropped = true;
        this.#backend.removeWatch(watch.wd);
      }
    }
    this.#pendingMoves.clear();
    this.#scanned.clear();
    this.#selfReads.clear();
    if (this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const release of waiters) release();
    }
    this.#handlers?.idle?.();
  }

  /** Re-reads the recursive trees after an overflow (see `recoverOverflow`). */
  #recover(): void {
    const time = epochMs();
    const out: InotifyEvent[] = [];
    for (const watch of [...this.#table.values()]) {
      if (watch.dropped || !watch.isDir) continue;
      if (!isRealDir(watch.path)) {
        // Its IGNORED may have been lost with the overflow.
        this.#backend.removeWatch(watch.wd);
        this.#forget(watch.wd);
        continue;
      }
      if (!watch.recursive || !this.#follow) continue;
      let entries: DirEntry[];
      try {
        entries = readDir(watch.path);
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.isDir || this.#table.byPath(asBytes(watch.path + entry.name + '/'))) continue;
        const event: InotifyEvent = {
          wd: watch.wd, mask: IN_CREATE | IN_ISDIR, cookie: 0, name: entry.name, watchPath: watch.path, time, synthetic: true,
        };
        if (this.#keep(event)) out.push(event);
        this.#newDir(watch, entry.name, time, out, false);
      }
    }
    if (out.length > 0) void this.#handlers?.batch(out, { read: 0 });
  }

  #forget(wd: number): void {
    this.#table.delete(wd);
    this.#scanned.delete(wd);
  }
}

function isSkippableErrno(errno: number): boolean {
  return errno === 2 /* ENOENT */ || errno === 13 /* EACCES */ || errno === 40 /* ELOOP */ || errno === 20 /* ENOTDIR */;
}

function isRealDir(path: ByteString): boolean {
  try {
    return lstatSync(toBuffer(path)).isDirectory();
  } catch {
    return false;
  }
}
