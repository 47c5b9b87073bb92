/**
 * The `parcel` backend: @parcel/watcher (FSEvents, Windows, kqueue, Watchman, or its own inotify) behind
 * our Backend interface. parcel knows only "created", "updated" and "deleted" per path, batched (~50 ms)
 * and merged per path; they become CREATE, MODIFY (or ATTRIB when only that was asked for) and DELETE,
 * with ISDIR where known. A watch is one parcel subscription covering the whole tree (nativeRecursion), so
 * a record's name is the path relative to the watched root: `%w%f` is the full path, as with inotify.
 *
 * - A watched file: parcel watches only directories, so its directory is subscribed with everything
 *   but that entry ignored. Its deletion is DELETE_SELF then IGNORED, as with inotify; a replacement by
 *   rename (an editor's atomic save) is a MODIFY, and the file stays watched.
 * - A root's deletion is DELETE_SELF then IGNORED. parcel drops events when its queue overflows on Linux
 *   without telling; FSEvents' "must rescan" and Windows' buffer overflow are passed on as IN_Q_OVERFLOW.
 */
import { basename, dirname } from 'node:path';
import type { Backend, BackendSink, TreeOptions } from '../backend.js';
import type { ByteString } from '../../model/bytes.js';
import type { RawEvent } from '../../model/event.js';
import { IN_DELETE_SELF, IN_IGNORED, IN_Q_OVERFLOW } from '../../model/mask.js';
import type { EventMask } from '../../model/mask.js';
import type { ChangeKind } from './changes.js';
import { isDirNow, orderChanges } from './changes.js';
import { ParcelWatchError } from './errors.js';
import { changedSince, scanNewDirs, scanTree } from './new-dirs.js';
import type { ParcelBackendType, ParcelEvent, ParcelModule, ParcelSubscription } from './parcel-module.js';
import { liveParcelBackend, loadParcel } from './parcel-module.js';
import { ParcelInstanceLimitError } from './errors.js';
import { EMFILE, IN_CLOEXEC, IN_NONBLOCK, close, errno as lastErrno, inotifyInit1, strerror } from '@inotifykit/sys';
import { excludedRel, isUnder, parcelIgnore, parcelText, relativeTo } from './paths.js';
import type { Root, Subscription } from './roots.js';
import { SubscriptionSet, changeRecord, newRoot } from './roots.js';
import { checkWatchable, watchFailure } from './watch-checks.js';
import { asBytes } from '../../model/bytes.js';

export interface ParcelBackendOptions {
  /** Watch whole trees (default) or directories with their direct entries only; configure() overrides. */
  readonly recursive?: boolean;
  /** Directories left out entirely (`@` exclusions), as spelled; configure() overrides. */
  readonly excludeDirs?: Iterable<ByteString>;
  /** Report what a new directory already holds as CREATE (parcel misses it). Default true. */
  readonly rescanNewDirs?: boolean;
  /** parcel's own backend; default: INOTIFYKIT_PARCEL_BACKEND or parcel's choice. */
  readonly parcelBackend?: ParcelBackendType;
}

interface RootBatch {
  /** Latest kind per relative path: parcel merges per path within a subscription, we across them. */
  readonly changes: Map<ByteString, ChangeKind>;
  selfDeleted: boolean;
}

/** How long a path reported from reading a new directory makes parcel's own CREATE of it a duplicate. */
const SCANNED_TTL_MS = 5000;

export class ParcelBackend implements Backend {
  readonly name = 'parcel' as const;
  readonly nativeRecursion = true;
  readonly #parcel: ParcelModule;
  readonly #parcelBackend: ParcelBackendType | undefined;
  readonly #rescan: boolean;
  #recursive: boolean;
  #excludeDirs: ByteString[];
  readonly #roots = new Map<number, Root>();
  readonly #subs = new SubscriptionSet();
  #nextWd = 1;
  /** The roots' own subscriptions, failed ones included: ready() reports their failures. */
  readonly #rootHandles: Promise<unknown>[] = [];
  #sink: BackendSink | undefined;
  /** Records that came before start(). */
  readonly #early: RawEvent[][] = [];
  /** Deliveries in order; a slow consumer makes later batches wait here (parcel cannot be paused). */
  #delivery: Promise<void> = Promise.resolve();
  #closed = false;
  #keepAlive: NodeJS.Timeout | undefined;
  /** parcel callbacks gathered for this turn of the event loop. */
  #pending: { roots: Map<Root, RootBatch>; overflow: boolean } = { roots: new Map(), overflow: false };
  #flushQueued = false;

  constructor(options: ParcelBackendOptions = {}) {
    this.#parcel = loadParcel();
    this.#parcelBackend = options.parcelBackend ?? liveParcelBackend();
    this.#rescan = options.rescanNewDirs ?? true;
    this.#recursive = options.recursive ?? true;
    this.#excludeDirs = [...(options.excludeDirs ?? [])];
    if ((this.#parcelBackend ?? (process.platform === 'linux' ? 'inotify' : undefined)) === 'inotify') probeInotifyInstance();
  }

  configure(tree: TreeOptions): void {
    this.#recursive = tree.recursive;
    this.#excludeDirs = [...(tree.excludeDirs ?? [])];
  }

  addWatch(path: ByteString, mask: EventMask): number {
    const { real, realText, isFile } = checkWatchable(path);
    for (const root of this.#roots.values()) {
      if (root.real === real && !root.gone) {
        root.mask = mask;
        return root.wd;
      }
    }
    const skip = this.#excludeDirs.map((dir) => excludedRel(real, dir)).filter((rel): rel is ByteString => rel !== undefined);
    const root = newRoot({ wd: this.#nextWd++, spelled: path, real, realText, isFile, mask, recursive: this.#recursive, skip });
    this.#roots.set(root.wd, root);
    this.#subscribe(root, asBytes(''));
    return root.wd;
  }

  removeWatch(wd: number): void {
    const root = this.#roots.get(wd);
    if (!root || root.gone) return;
    this.#drop(root);
    this.#deliver([{ wd, mask: IN_IGNORED, cookie: 0, name: asBytes('') }]);
  }

  start(sink: BackendSink): void {
    this.#sink = sink;
    // As a live inotify fd does: the process waits for events even once every root is gone (parcel then
    // holds nothing that keeps Node's event loop alive, and a pending top-level await would end it, 13).
    this.#keepAlive ??= setInterval(() => undefined, 2 ** 31 - 1);
    for (const records of this.#early.splice(0)) this.#deliver(records);
  }

  /** Resolves when every root added so far is subscribed; rejects with the first failure (a WatchError). */
  async ready(): Promise<void> {
    for (let seen = -1; seen !== this.#rootHandles.length; ) {
      seen = this.#rootHandles.length;
      await Promise.all(this.#rootHandles);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    await Promise.all(this.#subs.of().map((sub) => this.#unsubscribe(sub)));
  }

  #subscribe(root: Root, relDir: ByteString): Subscription {
    const dirText = root.isFile ? dirname(root.realText) : relDir === '' ? root.realText : `${root.realText}/${parcelText(relDir)}`;
    const sub: Subscription = { root, dirText, relDir, handle: undefined, via: undefined, disposed: false };
    const carrier = root.isFile ? this.#subs.carrierFor(dirText) : undefined;
    this.#subs.add(sub);
    if (carrier) {
      sub.via = carrier;
      sub.handle = carrier.handle;
      return sub;
    }
    // Watched files already subscribed to this directory move onto the new subscription, which starts
    // once their own subscriptions (and parcel's tree built for them) are gone.
    const movers = relDir === '' && !root.isFile ? this.#subs.filesOn(dirText) : [];
    const cleared = Promise.all(movers.map((m) => unsubscribe(m.handle)));
    const skipText = root.skip.filter((rel) => isUnder(rel, relDir) && rel !== relDir).map((rel) => parcelText(asBytes(rel.slice(relDir === '' ? 0 : relDir.length + 1))));
    const ignore = parcelIgnore({
      dir: dirText,
      recursive: root.recursive,
      skip: skipText.filter((t): t is string => t !== undefined),
      onlyEntry: root.isFile ? basename(root.realText) : undefined,
    });
    const handle = cleared.then(() =>
      this.#parcel.subscribe(dirText, (err, events) => this.#onParcel(sub, err, events), { ignore, backend: this.#parcelBackend }),
    );
    sub.handle = handle.catch((err: Error) => {
      this.#subs.dispose(sub);
      if (relDir === '') throw watchFailure(root.spelled, err);
      return undefined; // a directory we added for a missed one vanished again: nothing to watch
    });
    for (const mover of movers) {
      mover.disposed = false;
      mover.via = sub;
      mover.handle = sub.handle;
    }
    if (relDir === '') {
      this.#rootHandles.push(sub.handle);
      sub.handle.catch(() => undefined); // reported by ready(), not as an unhandled rejection
    }
    return sub;
  }

  #onParcel(sub: Subscription, err: Error | null, events: ParcelEvent[]): void {
    if (this.#closed || sub.disposed) return;
    if (err) {
      // FSEvents: "Events were dropped … must be re-scanned" (the stream goes on). Windows: "Buffer
      // overflow. Some events may have been lost." (parcel then ends the subscription: also an error).
      const lost = /dropped|re-?scanned|overflow/i.test(err.message);
      if (lost) this.#pending.overflow = true;
      if (!lost || /buffer overflow/i.test(err.message)) this.#sink?.error(new ParcelWatchError(sub.root.spelled, err.message));
    }
    // The roots whose own deletion this subscription reports: its root, and files riding on it.
    const served = [...(sub.relDir === '' ? [sub.root] : []), ...this.#subs.riders(sub).map((r) => r.root)];
    let subDirDeleted = false;
    for (const event of events) {
      if (event.type === 'delete') {
        if (event.path === sub.dirText && sub.relDir !== '') {
          subDirDeleted = true; // a directory we subscribed for; the root's own subscription reports it
          continue;
        }
        const self = served.find((root) => root.realText === event.path);
        if (self) {
          this.#batchOf(self).selfDeleted = true;
          continue;
        }
      }
      const owner = this.#subs.owner(event.path);
      if (!owner || (owner !== sub && owner.via !== sub)) continue;
      const root = owner.root;
      const relText = root.isFile ? '' : relativeTo(root.realText, event.path);
      if (relText === undefined) continue;
      const rel = root.names.bytes(root.real, relText, event.type === 'delete');
      if (root.skip.some((dir) => isUnder(rel, dir)) || (!root.recursive && rel.includes('/'))) continue;
      this.#batchOf(root).changes.set(rel, event.type);
    }
    // After the loop: the batch's deletions below that directory are still this subscription's to report.
    if (subDirDeleted) this.#dispose(sub);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(() => this.#flush());
    }
  }

  #batchOf(root: Root): RootBatch {
    let batch = this.#pending.roots.get(root);
    if (!batch) this.#pending.roots.set(root, (batch = { changes: new Map(), selfDeleted: false }));
    return batch;
  }

  /**
   * parcel calls back once per subscription; the calls of one debounce round arrive together, so they are
   * gathered for a turn of the event loop and ordered as one batch (a directory's nested subscription
   * reports its children's deletions, its parent the directory's own).
   */
  #flush(): void {
    this.#flushQueued = false;
    const { roots, overflow } = this.#pending;
    this.#pending = { roots: new Map(), overflow: false };
    const records: RawEvent[] = overflow ? [{ wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: asBytes('') }] : [];
    for (const [root, batch] of roots) {
      if (root.gone) continue;
      records.push(...this.#records(root, [...batch.changes].map(([rel, kind]) => ({ rel, kind }))));
      if (batch.selfDeleted) {
        if (root.mask & IN_DELETE_SELF) records.push({ wd: root.wd, mask: IN_DELETE_SELF, cookie: 0, name: asBytes('') });
        records.push({ wd: root.wd, mask: IN_IGNORED, cookie: 0, name: asBytes('') });
        this.#drop(root);
      }
    }
    if (records.length > 0) this.#deliver(records);
  }

  /** One subscription's batch as records: ordered, new directories read, duplicates of those reads dropped. */
  #records(root: Root, raw: { rel: ByteString; kind: ChangeKind }[]): RawEvent[] {
    const now = Date.now();
    for (const [rel, { expiry }] of root.scanned) if (expiry < now) root.scanned.delete(rel);
    const abs = (rel: ByteString): ByteString => (rel === '' ? root.real : asBytes(`${root.real}/${rel}`));
    const statDir = (rel: ByteString): boolean | undefined => isDirNow(abs(rel));
    const fresh = raw.flatMap((c) => afterScan(root, c, abs(c.rel)));
    if (this.#rescan && root.recursive && !root.isFile) {
      const created = new Set(fresh.filter((c) => c.kind === 'create').map((c) => c.rel));
      const newDirs = [...created].filter((rel) => statDir(rel) === true);
      const skip = (rel: ByteString): boolean => root.skip.some((dir) => isUnder(rel, dir));
      const { found, unwatched } = scanNewDirs(root.real, newDirs, created, skip);
      for (const entry of found) {
        root.scanned.set(entry.rel, { expiry: now + SCANNED_TTL_MS, stamp: entry.stamp });
        fresh.push({ rel: entry.rel, kind: 'create' });
      }
      for (const rel of unwatched) this.#watchMissedDir(root, rel);
    }
    const changes = orderChanges(fresh, statDir, (rel) => root.knownDirs.has(rel));
    return changes.map((change) => changeRecord(root, change)).filter((r): r is RawEvent => r !== undefined);
  }

  /**
   * A directory parcel never saw created is not watched by it: subscribe to it on its own, then read it
   * again, since entries made between our first read and the new subscription would otherwise be lost.
   */
  #watchMissedDir(root: Root, rel: ByteString): void {
    if (parcelText(rel) === undefined) return; // parcel cannot be given this path
    const sub = this.#subscribe(root, rel);
    void sub.handle!.then((handle) => {
      if (!handle || this.#closed || sub.disposed) return;
      const now = Date.now();
      const skip = (r: ByteString): boolean => root.skip.some((dir) => isUnder(r, dir));
      const late = scanTree(root.real, rel, skip).filter((entry) => !root.scanned.has(entry.rel));
      for (const entry of late) root.scanned.set(entry.rel, { expiry: now + SCANNED_TTL_MS, stamp: entry.stamp });
      const records = late
        .map((entry) => changeRecord(root, { rel: entry.rel, kind: 'create', isDir: entry.isDir }))
        .filter((r): r is RawEvent => r !== undefined);
      if (records.length > 0) this.#deliver(records);
    });
  }

  #deliver(records: RawEvent[]): void {
    if (this.#closed) return;
    const sink = this.#sink;
    if (!sink) {
      this.#early.push(records);
      return;
    }
    this.#delivery = this.#delivery.then(async () => {
      if (this.#closed) return;
      await sink.records(records);
      sink.idle();
    }).catch((err: Error) => sink.error(err));
  }

  #drop(root: Root): void {
    root.gone = true;
    for (const sub of this.#subs.of(root)) this.#dispose(sub);
  }

  #dispose(sub: Subscription): void {
    const riders = this.#subs.riders(sub);
    this.#subs.dispose(sub);
    void this.#unsubscribe(sub);
    // Watched files that rode on it (their directory is no longer watched, but they may still be there).
    for (const rider of riders) {
      this.#subs.dispose(rider);
      if (!rider.root.gone && !this.#closed) this.#subscribe(rider.root, asBytes(''));
    }
  }

  async #unsubscribe(sub: Subscription): Promise<void> {
    sub.disposed = true;
    if (!sub.via) await unsubscribe(sub.handle); // riders have nothing of their own at parcel
  }
}

/** Throws ParcelInstanceLimitError when no inotify instance can be had (@parcel/watcher would hang). */
function probeInotifyInstance(): void {
  const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd >= 0) {
    close(fd);
    return;
  }
  const errno = lastErrno();
  if (errno === EMFILE) throw new ParcelInstanceLimitError(strerror(errno));
}

async function unsubscribe(handle: Promise<ParcelSubscription | undefined> | undefined): Promise<void> {
  try {
    await (await handle)?.unsubscribe();
  } catch {
    // failed to start, or already gone with its directory
  }
}

/**
 * A change to a path we reported from reading its new directory. parcel's CREATE of it repeats ours
 * when parcel watched the directory before the entry was made: dropped. But parcel merges everything
 * that happened to a path within its batch into that CREATE, and its debounce sends a lone first change
 * (the directory) at once and batches the rest for 50 ms: with `mkdir n; touch n/y`, an append to y made
 * after we reported y from reading n came back as a plain CREATE in parcel's next batch, and was lost.
 * So a CREATE that finds the entry changed since our read is a MODIFY. A DELETE or an update ends the
 * watch for duplicates and is reported as it is.
 */
function afterScan(root: Root, change: { rel: ByteString; kind: ChangeKind }, path: ByteString): { rel: ByteString; kind: ChangeKind }[] {
  const scanned = root.scanned.get(change.rel);
  if (scanned === undefined) return [change];
  root.scanned.delete(change.rel);
  if (change.kind !== 'create') return [change];
  return changedSince(scanned.stamp, path) ? [{ rel: change.rel, kind: 'update' }] : [];
}
