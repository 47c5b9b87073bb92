/**
 * A directory appeared in a recursive tree (a kernel CREATE, or a MOVED_TO from outside): watch it, then
 * read it, and report what the kernel could not: what was made in it before its watch existed.
 *
 * - The reading thread has usually watched it already (backends/inotify/read-time-watches.ts); adding it
 *   again here returns that watch.
 * - After the listing, everything the kernel has queued is read ahead into the batch. A listed entry whose
 *   CREATE (or MOVED_TO) the kernel reports there is left to those events, in their place. Any other entry
 *   is looked at (lstat; for a file, whether a writer still holds it open), the queue is read ahead again,
 *   and the entry is reported here: a directory as `CREATE,ISDIR` (and read in turn), a regular file as
 *   CREATE, MODIFY when it has content (unless the kernel's own MODIFY of it was read ahead: a write after
 *   the watch), and CLOSE_WRITE unless the kernel's own was read ahead or is still to come (a writer holds
 *   the file: its close makes the kernel's). Where the kernel will not say whether a writer holds it (a
 *   file not ours without CAP_LEASE, a file system without leases), our CLOSE_WRITE waits until the queue
 *   is drained and is dropped if the kernel's came meanwhile; a writer that holds the file past that makes
 *   a second, real one. Anything else comes as CREATE.
 * - In a directory moved in, only entries born after the move are reported (the move's time: the earlier
 *   of the directory's ctime and its new parent's mtime, both set by the rename; an entry's birth time, or
 *   its ctime where the file system keeps none). What it held before is no news, as inotifywait shows it:
 *   only `MOVED_TO,ISDIR`. Timestamps are coarse (a clock tick, 1-4 ms): an entry born in the move's own
 *   tick counts as held before it; one made that soon after the move is almost always the kernel's to
 *   report, since the watch was added as the MOVED_TO was read.
 * - Reading a directory makes the kernel report OPEN/ACCESS/CLOSE_NOWRITE on it and on its parent. Those
 *   records are all in the read-ahead; they are dropped, and each new directory reported gets the three
 *   lines inotifywait's own walk of it prints (on its parent, once each, as far as the mask asks for them).
 */
import { lstatSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import type { ByteString } from '../model/bytes.js';
import { asBytes, toBuffer } from '../model/bytes.js';
import { NewDirWatchError, SystemError, WatchError } from '../model/errors.js';
import type { InotifyEvent, RawEvent } from '../model/event.js';
import {
  IN_ACCESS, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_CREATE, IN_ISDIR, IN_MODIFY, IN_MOVED_TO, IN_OPEN, asMask, maskOf,
} from '../model/mask.js';
import type { EventMask } from '../model/mask.js';
import type { Batch } from './batch.js';
import type { EngineContext } from './context.js';
import { isSkippableErrno } from './context.js';
import type { DirEntry } from './walk.js';
import { readDir } from './walk.js';
import { openForWriting } from '../backends/inotify/open-writers.js';
import { HeldWrites } from './held-writes.js';
import type { Watch } from './watch-table.js';

const SELF_READ_MASK = IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE;
/** What inotifywait's walk of a new directory makes its parent's watch report, in this order. */
const WALK_EVENTS = [IN_OPEN, IN_ACCESS, IN_CLOSE_NOWRITE] as const;
const CREATE_DIR = maskOf(IN_CREATE, IN_ISDIR);
const ENTRY_APPEARED = maskOf(IN_CREATE, IN_MOVED_TO);

export class NewDirRescan {
  /** `wd\0name` → the batch index up to which such OPEN/ACCESS/CLOSE_NOWRITE records are our reading's. */
  readonly #ownReads = new Map<string, number>();

  /** Synthetic MODIFYs and CLOSE_WRITEs that wait, because the kernel may still report them itself. */
  readonly held = new HeldWrites();

  constructor(private readonly ctx: EngineContext) {}

  /** The queue is drained: the held CLOSE_WRITEs are due, and our reads are behind us. */
  takeCloses(): InotifyEvent[] {
    this.#ownReadsUntilIdle.clear();
    return this.held.takeCloses();
  }

  /**
   * The held MODIFYs whose writers are done: looks at them, then reads the queue ahead into `batch` (the
   * caller handles it, then calls held.release with the keys).
   */
  dueWrites(batch: Batch): string[] {
    const keys = this.held.due();
    if (keys.length === 0) return keys;
    batch.readAhead();
    // Our looks' OPEN and CLOSE_NOWRITE, if the mask has them, are in what was just read.
    if ((this.ctx.kernelMask & (IN_OPEN | IN_CLOSE_NOWRITE)) !== 0) for (const key of keys) this.#ownRead(key, batch);
    return keys;
  }

  /** Reads made when the batch was full: their records come in later batches, until the queue is drained. */
  readonly #ownReadsUntilIdle = new Set<string>();

  /** True for a record our own reading of a directory caused. */
  isOwnRead(record: RawEvent, index: number): boolean {
    if ((record.mask & SELF_READ_MASK) === 0) return false;
    if (this.#ownReads.size === 0 && this.#ownReadsUntilIdle.size === 0) return false;
    // A file is only opened and closed by us (the writer probe), never read.
    if ((record.mask & IN_ISDIR) === 0 && (record.mask & IN_ACCESS) !== 0) return false;
    const key = `${record.wd}\0${record.name}`;
    const until = this.#ownReads.get(key);
    return (until !== undefined && index < until) || this.#ownReadsUntilIdle.has(key);
  }

  /** The batch is handled: every record our reads caused was in it (unless it was full). */
  endBatch(): void {
    this.#ownReads.clear();
  }

  /**
   * `name` arrived in `parent` (the record at `at`, already delivered): watch, report inotifywait's walk
   * lines, read. `moved`: it came from outside the tree with its contents.
   */
  arrived(parent: Watch, name: ByteString, moved: boolean, batch: Batch, at: number, time: number, out: InotifyEvent[]): void {
    const dirPath = asBytes(parent.path + name + '/');
    if (this.ctx.pruneDir?.(dirPath)) return this.#unwatchPruned(dirPath);
    const watch = this.watchNewDir(dirPath);
    if (!watch) return;
    this.#walkLines(parent, name, time, out);
    const since = moved ? moveTimeNs(parent.path, dirPath) : undefined;
    this.#scan(watch, parent.wd, name, batch, at, time, out, since);
  }

  /** Overflow recovery: `name` in `parent` is a directory without a watch; report it and what it holds. */
  found(parent: Watch, name: ByteString, batch: Batch, time: number, out: InotifyEvent[]): void {
    const dirPath = asBytes(parent.path + name + '/');
    if (this.ctx.pruneDir?.(dirPath)) return;
    this.#report(parent, CREATE_DIR, name, time, out);
    const watch = this.watchNewDir(dirPath);
    if (!watch) return;
    this.#walkLines(parent, name, time, out);
    this.#scan(watch, parent.wd, name, batch, batch.length - 1, time, out, undefined);
  }

  /** Reads a watched directory of ours (its parent's wd, if watched, for its own-read records). */
  readOwn(watch: Watch, parentWd: number | undefined, name: ByteString, batch: Batch): DirEntry[] | undefined {
    let entries: DirEntry[];
    try {
      entries = readDir(watch.path);
    } catch {
      return undefined; // gone already: its DELETE/IGNORED follow
    }
    // What our reading made the kernel report is queued now: read it (and all before it) into the batch.
    batch.readAhead();
    this.#ownRead(`${watch.wd}\0`, batch);
    if (parentWd !== undefined) this.#ownRead(`${parentWd}\0${name}`, batch);
    return entries;
  }

  /** The OPEN/ACCESS/CLOSE_NOWRITE records of `key` read so far are ours (all of them, if the batch is full). */
  #ownRead(key: string, batch: Batch): void {
    if (batch.full) this.#ownReadsUntilIdle.add(key);
    else this.#ownReads.set(key, batch.length);
  }

  #scan(
    watch: Watch, parentWd: number, name: ByteString, batch: Batch, at: number, time: number, out: InotifyEvent[],
    since: bigint | undefined,
  ): void {
    const entries = this.readOwn(watch, parentWd, name, batch);
    if (!entries) return;
    const found = this.#inspect(watch, entries, batch, at, since);
    for (const { name: entryName, st, reported, writing } of found) {
      const isDir = st.isDirectory();
      if (reported) {
        this.#report(watch, isDir ? CREATE_DIR : IN_CREATE, entryName, time, out);
        // A write or close the kernel reported after the watch (read ahead by now) stands for ours.
        if (st.isFile()) {
          if (st.size > 0n && !batch.reportsAfter(IN_MODIFY, watch.wd, entryName, at)) {
            // A writer still at it may be inside the write() whose MODIFY the kernel is about to queue.
            if (writing === true) this.#holdModify(watch, entryName, time);
            else this.#report(watch, IN_MODIFY, entryName, time, out);
          }
          if (!batch.reportsAfter(IN_CLOSE_WRITE, watch.wd, entryName, at)) this.#closeOf(watch, entryName, writing, batch, time, out);
        }
      }
      if (!isDir) continue;
      const childPath = asBytes(watch.path + entryName + '/');
      if (this.ctx.pruneDir?.(childPath)) continue;
      const child = this.watchNewDir(childPath);
      if (!child) continue;
      if (reported) this.#walkLines(watch, entryName, time, out);
      this.#scan(child, watch.wd, entryName, batch, at, time, out, since);
    }
  }

  /**
   * The listed entries the kernel has not reported itself, looked at (lstat; for a file, whether a writer
   * still holds it), then the queue read ahead once more: whatever happened to them between the watch and
   * this look has its kernel record in the batch by then, and whatever happens after comes as records
   * later. So no write or close is reported twice, and none is missed.
   */
  #inspect(watch: Watch, entries: DirEntry[], batch: Batch, at: number, since: bigint | undefined): Found[] {
    const found: Found[] = [];
    const closes = (this.ctx.deliver & IN_CLOSE_WRITE) !== 0;
    const modifies = (this.ctx.deliver & IN_MODIFY) !== 0;
    let probed = false;
    for (const entry of entries) {
      if (batch.reportsAfter(ENTRY_APPEARED, watch.wd, entry.name, at)) continue; // the kernel says it
      const path = asBytes(watch.path + entry.name);
      const st = lstatBig(path);
      if (!st) continue; // gone again
      const reported = since === undefined || bornNs(st) > since;
      let writing: boolean | undefined;
      if (reported && st.isFile() && (closes || (modifies && st.size > 0n))) {
        writing = openForWriting(path);
        probed = true;
      }
      found.push({ name: entry.name, st, reported, writing });
    }
    if (found.length === 0) return found;
    batch.readAhead();
    // Our probes' OPEN and CLOSE_NOWRITE, if the mask has them, are in what was just read.
    if (probed && (this.ctx.kernelMask & (IN_OPEN | IN_CLOSE_NOWRITE)) !== 0) {
      for (const f of found) if (f.reported && f.st.isFile()) this.#ownRead(`${watch.wd}\0${f.name}`, batch);
    }
    return found;
  }

  /**
   * The CLOSE_WRITE of a found file that the kernel has not reported: ours now, when no writer holds it
   * (its last close came before the watch); none while one does (the kernel's comes at its close). Held
   * until the queue is drained when the kernel would not say, or the batch is too full to have read ahead.
   */
  #closeOf(watch: Watch, name: ByteString, writing: boolean | undefined, batch: Batch, time: number, out: InotifyEvent[]): void {
    if (writing === true) return;
    if (writing === false && !batch.full) this.#report(watch, IN_CLOSE_WRITE, name, time, out);
    else this.#holdClose(watch, name, time);
  }

  /** Watches a new directory of a recursive tree; undefined when it cannot be (said as a warning). */
  watchNewDir(dirPath: ByteString): Watch | undefined {
    try {
      const wd = this.ctx.backend.addWatch(dirPath, this.ctx.kernelMask);
      const watch = this.ctx.table.add(wd, dirPath, true, true);
      this.ctx.backend.follow?.(wd, watch.path, this.ctx.kernelMask);
      return watch;
    } catch (err) {
      if (err instanceof WatchError && isSkippableErrno(err.errno)) return undefined;
      if (err instanceof SystemError) this.ctx.warn(new NewDirWatchError(dirPath, err.errno, err.reason));
      return undefined;
    }
  }

  /** A pruned directory the reading thread may have watched already: that watch goes again. */
  #unwatchPruned(dirPath: ByteString): void {
    if (!this.ctx.backend.follow) return;
    let wd: number;
    try {
      wd = this.ctx.backend.addWatch(dirPath, this.ctx.kernelMask);
    } catch {
      return;
    }
    if (!this.ctx.table.get(wd)) this.ctx.backend.removeWatch(wd);
  }

  /** OPEN, ACCESS, CLOSE_NOWRITE of `name` on its parent: what inotifywait's walk of it shows. */
  #walkLines(parent: Watch, name: ByteString, time: number, out: InotifyEvent[]): void {
    for (const bit of WALK_EVENTS) this.#report(parent, asMask(bit | IN_ISDIR), name, time, out);
  }

  #holdClose(watch: Watch, name: ByteString, time: number): void {
    const held: InotifyEvent[] = [];
    this.#report(watch, IN_CLOSE_WRITE, name, time, held);
    if (held[0]) this.held.holdClose(`${watch.wd}\0${name}`, held[0]);
  }

  #holdModify(watch: Watch, name: ByteString, time: number): void {
    const held: InotifyEvent[] = [];
    this.#report(watch, IN_MODIFY, name, time, held);
    if (held[0]) this.held.holdModify(`${watch.wd}\0${name}`, held[0], asBytes(watch.path + name));
  }

  #report(watch: Watch, mask: EventMask, name: ByteString, time: number, out: InotifyEvent[]): void {
    if ((mask & this.ctx.deliver) === 0) return;
    const event: InotifyEvent = { wd: watch.wd, mask, cookie: 0, name, watchPath: watch.path, time, synthetic: true };
    if (this.ctx.keep(event)) out.push(event);
  }
}

/** A listed entry the kernel did not report: what it is, whether it is news, whether a writer holds it. */
interface Found {
  readonly name: ByteString;
  readonly st: BigIntStats;
  readonly reported: boolean;
  readonly writing: boolean | undefined;
}

function lstatBig(path: ByteString): BigIntStats | undefined {
  try {
    return lstatSync(toBuffer(path), { bigint: true });
  } catch {
    return undefined;
  }
}

/** When the entry came into being: its birth time, or its ctime where the file system keeps none. */
function bornNs(st: BigIntStats): bigint {
  return st.birthtimeNs > 0n ? st.birthtimeNs : st.ctimeNs;
}

/** The rename set both the directory's ctime and its new parent's mtime; later changes move one of them. */
function moveTimeNs(parentPath: ByteString, dirPath: ByteString): bigint | undefined {
  const dir = lstatBig(dirPath);
  if (!dir) return undefined;
  const parent = lstatBig(parentPath);
  return parent && parent.mtimeNs < dir.ctimeNs ? parent.mtimeNs : dir.ctimeNs;
}
