/**
 * The engine: raw records → resolved, filtered events. It owns the watch table and keeps it true through
 * recursion, renames and removals, and reports what inotify alone would lose. Its parts, by job:
 * startup-walk.ts (the recursive start-up walk), new-dir-rescan.ts (new and moved-in directories),
 * moves.ts (directory renames by cookie), overflow-recovery.ts (re-reading the trees after an overflow).
 * Q_OVERFLOW always reaches the consumer; IGNORED frees the watch's entry.
 */
import type { Backend, BackendSink } from '../backends/backend.js';
import type { ByteString } from '../model/bytes.js';
import type { InotifyKitError } from '../model/errors.js';
import { withoutYoungGrowth } from './young-generation.js';
import { NewDirWatchError, SystemError, WatchError } from '../model/errors.js';
import type { BatchInfo, InotifyEvent, RawEvent } from '../model/event.js';
import type { PathFilter } from '../filter/filter.js';
import {
  IN_ALL_EVENTS, IN_CREATE, IN_IGNORED, IN_ISDIR, IN_MOVED_FROM, IN_MOVED_TO, IN_Q_OVERFLOW, IN_UNMOUNT, asMask,
} from '../model/mask.js';
import type { EventMask } from '../model/mask.js';
import { createBackend } from '../backends/platform.js';
import type { BackendChoice } from '../backends/platform.js';
import { readDir } from './walk.js';
import type { DirEntry } from './walk.js';
import type { Watch } from './watch-table.js';
import { WatchTable } from './watch-table.js';
import { asBytes } from '../model/bytes.js';
import { epochMs } from './clock.js';
import { Batch } from './batch.js';
import type { EngineContext } from './context.js';
import { isSkippableErrno } from './context.js';
import { MoveTracker } from './moves.js';
import { NewDirRescan } from './new-dir-rescan.js';
import { RECHECK_MS } from './held-writes.js';
import { isRealDir, recoverFromOverflow } from './overflow-recovery.js';
import { walkTree } from './startup-walk.js';

export interface WatcherOptions {
  /**
   * The events to deliver (IGNORED, Q_OVERFLOW and UNMOUNT always come). The kernel is also asked for
   * what following new directories needs (CREATE, MOVED_TO, MOVED_FROM); those are not delivered unless
   * asked for.
   */
  readonly mask: EventMask;
  /** Watch directory trees, not single directories. */
  readonly recursive?: boolean;
  /** Follow directories created or moved into a recursive tree later. Default: `recursive`. */
  readonly followNewDirs?: boolean;
  /**
   * Watch each new directory as its CREATE is read, then read it and report what was made in it before
   * (see new-dir-rescan.ts). Off gives inotify-tools' behaviour: read first, then watch, and whatever was
   * made before the watch existed is lost. Default true.
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
  /**
   * Optional, for a consumer that only counts per watch: a delivered event that is neither a directory's
   * nor IGNORED nor an overflow, given as its watch and mask instead of in a batch (no event object is
   * made; without a filter only). Events that come this way never come in a batch.
   */
  tally?(watch: Watch, mask: EventMask): void;
  /** Something went wrong but watching goes on (a new directory that could not be watched). */
  warning?(err: InotifyKitError): void;
  /** Reading failed; no more batches come. */
  error?(err: Error): void;
  /** Everything queued has been read and handed over (unpaired moves are final now). */
  idle?(): void;
  /** close() was called: no more batches come. */
  closed?(): void;
}


type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The event bits the kernel sends whatever the mask. */
const ALWAYS_SENT = IN_IGNORED | IN_Q_OVERFLOW | IN_UNMOUNT;
/** What following new directories needs from the kernel. */
const FOLLOW_MASK = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM;

export class Watcher {
  readonly #options: WatcherOptions;
  readonly #backend: Backend;
  readonly #table = new WatchTable();
  readonly #excludes: Set<ByteString>;
  readonly #rescan: boolean;
  readonly #ctx: EngineContext;
  readonly #moves: MoveTracker;
  readonly #newDirs: NewDirRescan;
  readonly #readAhead: (() => RawEvent[]) | undefined;
  /** Backend.recordsAreEvents: #handle delivers the records themselves. */
  readonly #recordsAreEvents: boolean;
  #handlers: WatcherHandlers | undefined;
  #closed = false;
  #overflowed = false;
  /** Callers of whenDrained(), released at the next idle. */
  #drainWaiters: (() => void)[] = [];
  /** The next look at the writers of held MODIFYs. */
  #recheck: NodeJS.Timeout | undefined;

  constructor(options: WatcherOptions) {
    this.#options = options;
    const backend = (this.#backend =
      typeof options.backend === 'object' ? options.backend : createBackend(options.backend ?? 'auto'));
    this.#excludes = new Set([...(options.excludeDirs ?? [])].map((p) => (p.endsWith('/') ? p : asBytes(p + '/'))));
    // A backend that walks by itself (parcel) is told what the engine's walk would have decided.
    if (backend.nativeRecursion) {
      backend.configure?.({ recursive: options.recursive ?? false, excludeDirs: options.excludeDirs });
    }
    const follow = (options.followNewDirs ?? options.recursive ?? false) && !backend.nativeRecursion;
    this.#rescan = options.rescanNewDirs ?? true;
    const filter = options.filter;
    this.#ctx = {
      backend,
      table: this.#table,
      kernelMask: asMask(options.mask | (follow ? FOLLOW_MASK : 0)),
      deliver: asMask((options.mask & IN_ALL_EVENTS) | ALWAYS_SENT),
      follow,
      pruneDir: options.pruneDir,
      keep: filter === undefined ? () => true : (event) => filter(asBytes(event.watchPath + event.name)),
      warn: (err) => this.#handlers?.warning?.(err),
    };
    this.#moves = new MoveTracker(this.#table, backend);
    this.#newDirs = new NewDirRescan(this.#ctx);
    this.#readAhead = backend.readAhead?.bind(backend);
    this.#recordsAreEvents = backend.recordsAreEvents === true;
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
      const walked = withoutYoungGrowth(() =>
        walkTree(this.#ctx, path, { excludes: this.#excludes, watched: (wd, dirPath) => this.#followed(wd, dirPath) }),
      );
      if (walked) return;
    }
    const wd = this.#backend.addWatch(path, this.#ctx.kernelMask);
    this.#table.add(wd, path, false, false);
    const watch = this.#table.get(wd)!;
    if (watch.path === path && !path.endsWith('/') && isRealDir(path)) {
      // `%w` gets a '/' for a directory; lstat, so a symlink to a directory keeps its bare name.
      this.#table.delete(wd);
      this.#table.add(wd, asBytes(path + '/'), true, false);
    }
  }

  /** A directory of a followed tree: the reading thread watches its new subdirectories as it reads. */
  #followed(wd: number, dirPath: ByteString): void {
    if (this.#ctx.follow && this.#rescan) this.#backend.follow?.(wd, dirPath, this.#ctx.kernelMask);
  }

  /** Removes the watch on a path (as given to add, directories with their trailing `/`). */
  remove(path: ByteString): boolean {
    const watch = this.#table.byPath(path) ?? this.#table.byPath(asBytes(path + '/'));
    if (!watch) return false;
    this.#backend.removeWatch(watch.wd);
    return true;
  }

  /** Starts delivering events. Call after the initial add()s. */
  start(handlers: WatcherHandlers): void {
    this.#handlers = handlers;
    const sink: BackendSink = {
      records: (records) => this.#onRecords(records),
      idle: () => this.#onIdle(),
      error: (err) => handlers.error?.(err),
    };
    const tally = handlers.tally;
    if (tally && !this.#options.filter) sink.counts = (wds, masks, n) => this.#onCounts(wds, masks, n, tally);
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
    clearTimeout(this.#recheck);
    this.#handlers?.closed?.();
    await this.#backend.close();
  }

  #onRecords(records: RawEvent[]): void | Promise<void> {
    const time = epochMs();
    const out: InotifyEvent[] = [];
    const batch = new Batch(records, this.#readAhead);
    this.#handleBatch(batch, 0, time, out);
    if (out.length === 0 && this.#handlers!.batch.length === 0) return;
    return this.#handlers!.batch(out, { read: batch.length });
  }

  /**
   * Plain records (BackendSink.counts) as tallies: what #handle would deliver of them, in order. False
   * while the rescan holds a MODIFY or CLOSE_WRITE, which a kernel record would settle: those go the long way.
   */
  #onCounts(wds: Int32Array, masks: Uint32Array, n: number, tally: (watch: Watch, mask: EventMask) => void): boolean {
    if (this.#newDirs.held.holding) return false;
    const deliver = this.#ctx.deliver;
    for (let i = 0; i < n; i++) {
      const mask = masks[i]!;
      if ((mask & deliver) === 0) continue;
      const watch = this.#table.get(wds[i]!);
      if (watch && !watch.dropped) tally(watch, asMask(mask));
    }
    return true;
  }

  /** Handles the records from `from` on, including those the rescan reads ahead meanwhile. */
  #handleBatch(batch: Batch, from: number, time: number, out: InotifyEvent[]): void {
    for (let i = from; i < batch.length; i++) this.#handle(batch.records[i]!, i, batch, time, out);
    this.#newDirs.endBatch();
  }

  #handle(record: RawEvent, index: number, batch: Batch, time: number, out: InotifyEvent[]): void {
    const { wd, mask, name } = record;
    if (mask & IN_Q_OVERFLOW) {
      out.push({ ...record, watchPath: asBytes(''), time, synthetic: false });
      this.#overflowed = this.#options.recoverOverflow === true;
      return;
    }
    const watch = this.#table.get(wd);
    if (!watch) return; // a record for a watch already gone (or one we never took on)
    if (watch.dropped && !(mask & IN_IGNORED)) return;
    if (this.#newDirs.isOwnRead(record, index)) return;
    this.#newDirs.held.settle(record, out);

    let event: InotifyEvent;
    if (this.#recordsAreEvents) {
      // The backend's own fresh object, of the event's shape already: filled in, it is the event.
      const own = record as Mutable<InotifyEvent>;
      own.watchPath = watch.path;
      own.time = time;
      event = own;
    } else {
      const watchPath = record.dir ? asBytes(watch.path + record.dir) : watch.path;
      event = record.pid === undefined
        ? { wd, mask, cookie: record.cookie, name, watchPath, time, synthetic: false }
        : { wd, mask, cookie: record.cookie, name, watchPath, time, synthetic: false, pid: record.pid, comm: record.comm, uid: record.uid };
    }
    if (mask & this.#ctx.deliver && this.#ctx.keep(event)) out.push(event);

    if (mask & IN_ISDIR) {
      if (mask & IN_MOVED_FROM) this.#moves.movedFrom(watch, name, record.cookie);
      else if (mask & IN_MOVED_TO) {
        if (!this.#moves.movedTo(watch, name, record.cookie)) this.#arrived(watch, name, true, batch, index, time, out);
      } else if (mask & IN_CREATE) this.#arrived(watch, name, false, batch, index, time, out);
    }
    if (mask & IN_IGNORED) {
      this.#table.delete(wd);
      this.#backend.forget?.(wd);
    }
  }

  /** A directory appeared in `parent`, created there or moved in from outside the tree. */
  #arrived(parent: Watch, name: ByteString, moved: boolean, batch: Batch, index: number, time: number, out: InotifyEvent[]): void {
    if (!this.#ctx.follow || !parent.recursive) return;
    if (this.#rescan) this.#newDirs.arrived(parent, name, moved, batch, index, time, out);
    else this.#walkNewDirLikeInotifyTools(asBytes(parent.path + name + '/'));
  }

  /** inotify-tools' way: read the new tree, then watch it post-order; nothing is reported from the listing. */
  #walkNewDirLikeInotifyTools(dirPath: ByteString): void {
    if (this.#options.pruneDir?.(dirPath)) return;
    let entries: DirEntry[];
    try {
      entries = readDir(dirPath);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDir) this.#walkNewDirLikeInotifyTools(asBytes(dirPath + entry.name + '/'));
    }
    try {
      const wd = this.#backend.addWatch(dirPath, this.#ctx.kernelMask);
      this.#table.add(wd, dirPath, true, true);
    } catch (err) {
      if (err instanceof WatchError && isSkippableErrno(err.errno)) return;
      if (err instanceof SystemError) this.#ctx.warn(new NewDirWatchError(dirPath, err.errno, err.reason));
    }
  }

  /** Everything queued has been read: unpaired moves are final. */
  #onIdle(): void {
    if (this.#overflowed) {
      this.#overflowed = false;
      this.#recover();
    }
    this.#moves.settle();
    const closes = this.#newDirs.takeCloses();
    if (closes.length > 0) void this.#handlers?.batch(closes, { read: 0 });
    this.#releaseWrites();
    if (this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const release of waiters) release();
    }
    this.#handlers?.idle?.();
  }

  /**
   * The rescan's MODIFYs held for writers (held-writes.ts): those whose writer is done come out after what
   * the kernel queued until then; the rest are looked at again in RECHECK_MS.
   */
  #releaseWrites(): void {
    clearTimeout(this.#recheck);
    this.#recheck = undefined;
    if (this.#closed || !this.#newDirs.held.waitingForWriters) return;
    const batch = new Batch([], this.#readAhead);
    const keys = this.#newDirs.dueWrites(batch);
    if (keys.length > 0) {
      const time = epochMs();
      const out: InotifyEvent[] = [];
      this.#handleBatch(batch, 0, time, out);
      this.#newDirs.held.release(keys, out);
      if (out.length > 0 || batch.length > 0) void this.#handlers?.batch(out, { read: batch.length });
    }
    if (this.#newDirs.held.waitingForWriters) {
      this.#recheck = setTimeout(() => this.#releaseWrites(), RECHECK_MS);
      this.#recheck.unref();
    }
  }

  /** Re-reads the recursive trees after an overflow (see `recoverOverflow`), then what that read ahead. */
  #recover(): void {
    const time = epochMs();
    const out: InotifyEvent[] = [];
    const batch = new Batch([], this.#readAhead);
    recoverFromOverflow(this.#ctx, this.#newDirs, batch, time, out, (wd) => this.#table.delete(wd));
    this.#handleBatch(batch, 0, time, out);
    if (out.length > 0 || batch.length > 0) void this.#handlers?.batch(out, { read: batch.length });
  }
}
