/**
 * A directory appeared in a recursive tree (a kernel CREATE, or a MOVED_TO from outside): watch it, then
 * read it, and report what the kernel could not: what was made in it before its watch existed.
 *
 * - The reading thread has usually watched it already (backends/inotify/read-time-watches.ts); adding it
 *   again here returns that watch.
 * - After the listing, everything the kernel has queued is read ahead into the batch. A listed entry whose
 *   CREATE (or MOVED_TO) the kernel reports there is left to those events, in their place; any other entry
 *   is reported here: a directory as `CREATE,ISDIR` (and read in turn), a regular file as CREATE, MODIFY
 *   when it has content (unless the kernel's own MODIFY of it is among the records read ahead), and
 *   CLOSE_WRITE once the queue is drained, unless the kernel's own came meanwhile (a writer that still
 *   holds the file after that makes a second, real one); anything else as CREATE.
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
  IN_ACCESS, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_CREATE, IN_DELETE, IN_ISDIR, IN_MODIFY, IN_MOVED_FROM, IN_MOVED_TO,
  IN_OPEN,
} from '../model/mask.js';
import type { EventMask } from '../model/mask.js';
import type { Batch } from './batch.js';
import type { EngineContext } from './context.js';
import { isSkippableErrno } from './context.js';
import type { DirEntry } from './walk.js';
import { readDir } from './walk.js';
import type { Watch } from './watch-table.js';

const SELF_READ_MASK = IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE;
/** What inotifywait's walk of a new directory makes its parent's watch report, in this order. */
const WALK_EVENTS = [IN_OPEN, IN_ACCESS, IN_CLOSE_NOWRITE] as const;

export class NewDirRescan {
  /** `wd\0name` → the batch index up to which such OPEN/ACCESS/CLOSE_NOWRITE records are our reading's. */
  readonly #ownReads = new Map<string, number>();

  /**
   * Synthetic CLOSE_WRITEs held until the queue is drained, by `wd\0name`: the file may still be open
   * for writing, and then the kernel's own CLOSE_WRITE comes and stands for ours.
   */
  readonly #closes = new Map<string, InotifyEvent>();

  constructor(private readonly ctx: EngineContext) {}

  /**
   * A kernel record about a file we hold a CLOSE_WRITE for: its own CLOSE_WRITE replaces ours; a DELETE
   * or move away lets ours out first (into `out`), so the order stays a file's life's order.
   */
  settleClose(record: RawEvent, out: InotifyEvent[]): void {
    if (this.#closes.size === 0) return;
    const key = `${record.wd}\0${record.name}`;
    const held = this.#closes.get(key);
    if (!held) return;
    if (record.mask & IN_CLOSE_WRITE) this.#closes.delete(key);
    else if (record.mask & (IN_DELETE | IN_MOVED_FROM)) {
      this.#closes.delete(key);
      out.push(held);
    }
  }

  /** Some synthetic CLOSE_WRITE waits for the queue to drain (settleClose must see every record). */
  get holdsCloses(): boolean {
    return this.#closes.size > 0;
  }

  /** The queue is drained: the held CLOSE_WRITEs are due, and our reads are behind us. */
  takeCloses(): InotifyEvent[] {
    this.#ownReadsUntilIdle.clear();
    const due = [...this.#closes.values()];
    this.#closes.clear();
    return due;
  }

  /** Reads made when the batch was full: their records come in later batches, until the queue is drained. */
  readonly #ownReadsUntilIdle = new Set<string>();

  /** True for a record our own reading of a directory caused. */
  isOwnRead(record: RawEvent, index: number): boolean {
    if ((record.mask & IN_ISDIR) === 0 || (record.mask & SELF_READ_MASK) === 0) return false;
    if (this.#ownReads.size === 0 && this.#ownReadsUntilIdle.size === 0) return false;
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
    this.#report(parent, IN_CREATE | IN_ISDIR, name, time, out);
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
    const full = batch.full;
    for (const key of parentWd === undefined ? [`${watch.wd}\0`] : [`${watch.wd}\0`, `${parentWd}\0${name}`]) {
      if (full) this.#ownReadsUntilIdle.add(key);
      else this.#ownReads.set(key, batch.length);
    }
    return entries;
  }

  #scan(
    watch: Watch, parentWd: number, name: ByteString, batch: Batch, at: number, time: number, out: InotifyEvent[],
    since: bigint | undefined,
  ): void {
    const entries = this.readOwn(watch, parentWd, name, batch);
    if (!entries) return;
    for (const entry of entries) {
      if (batch.reportsAfter(IN_CREATE | IN_MOVED_TO, watch.wd, entry.name, at)) continue; // the kernel says it
      const st = lstatBig(asBytes(watch.path + entry.name));
      if (!st) continue; // gone again
      const isDir = st.isDirectory();
      const reported = since === undefined || bornNs(st) > since;
      if (reported) {
        this.#report(watch, IN_CREATE | (isDir ? IN_ISDIR : 0), entry.name, time, out);
        // A write or close the kernel reported after the watch (already read ahead) stands for ours.
        if (st.isFile()) {
          if (st.size > 0n && !batch.reportsAfter(IN_MODIFY, watch.wd, entry.name, at)) {
            this.#report(watch, IN_MODIFY, entry.name, time, out);
          }
          if (!batch.reportsAfter(IN_CLOSE_WRITE, watch.wd, entry.name, at)) this.#holdClose(watch, entry.name, time);
        }
      }
      if (!isDir) continue;
      const childPath = asBytes(watch.path + entry.name + '/');
      if (this.ctx.pruneDir?.(childPath)) continue;
      const child = this.watchNewDir(childPath);
      if (!child) continue;
      if (reported) this.#walkLines(watch, entry.name, time, out);
      this.#scan(child, watch.wd, entry.name, batch, at, time, out, since);
    }
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
    for (const bit of WALK_EVENTS) this.#report(parent, bit | IN_ISDIR, name, time, out);
  }

  #holdClose(watch: Watch, name: ByteString, time: number): void {
    const held: InotifyEvent[] = [];
    this.#report(watch, IN_CLOSE_WRITE, name, time, held);
    if (held[0]) this.#closes.set(`${watch.wd}\0${name}`, held[0]);
  }

  #report(watch: Watch, mask: EventMask, name: ByteString, time: number, out: InotifyEvent[]): void {
    if ((mask & this.ctx.deliver) === 0) return;
    const event: InotifyEvent = { wd: watch.wd, mask, cookie: 0, name, watchPath: watch.path, time, synthetic: true };
    if (this.ctx.keep(event)) out.push(event);
  }
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
