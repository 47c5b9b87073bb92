/**
 * Counting. Rows are watches (inotifywatch's model: an event inside a watched directory counts against the
 * directory) or, with `--per-file`, the paths `%w%f` the events name. The hot path does a map lookup (a
 * one-entry cache catches runs on the same watch) and bumps a few slots of a Float64Array.
 */
import type { ByteString, EventMask, InotifyEvent } from '@inotifykit/event-core';
import { COUNTED_BITS, INDEX_BY_BIT, ROW_WIDTH, TOTAL } from './columns.js';
import { asBytes } from '@inotifykit/event-core';

/**
 * `watch`: a row per watch (inotifywatch). `dir`: a row per directory `%w`, for a backend whose one watch
 * covers a tree (fanotify), so `-r` still gives a row per directory. `file`: per `%w%f`. `process`: per
 * program that caused the events (fanotify's pid → comm; `[pid]` when it had exited).
 */
export type RowMode = 'watch' | 'dir' | 'file' | 'process';

/** One row of counters. */
export interface StatRow {
  /** The row's path: the watch path as inotifywatch prints it (`d/sub/`), or `%w%f` per file. */
  path: ByteString;
  /** The tie-breaker: the watch descriptor (creation order), or first-seen order per file. */
  readonly order: number;
  /** Per column (see columns.ts), then `total` at TOTAL. */
  readonly counts: Float64Array;
}

export class StatsCollector {
  readonly mode: RowMode;
  /** Q_OVERFLOW events seen: the kernel dropped events, counts are low by an unknown amount. */
  overflows = 0;
  /** Events counted from a `--since` replay (changes made while nothing watched). */
  replayed = 0;
  readonly #byWd = new Map<number, StatRow>();
  readonly #byPath = new Map<ByteString, StatRow>();
  /** Per watch: rows of replayed events placed on no watch (their root went away), by path. */
  readonly #unwatched = new Map<ByteString, StatRow>();
  #lastKey: number | ByteString | undefined;
  #lastRow: StatRow | undefined;
  #nextOrder = 0;

  constructor(mode: RowMode) {
    this.mode = mode;
  }

  /** Counts one event. `total` counts every event of a known watch, IGNORED included, as upstream does. */
  record(event: InotifyEvent): void {
    if (event.wd < 0) {
      this.overflows += 1; // Q_OVERFLOW (wd −1) belongs to no row
      return;
    }
    count(this.#rowFor(event), event.mask);
  }

  /**
   * Counts one event of watch `wd` (path `path`) given by its mask alone, as record() would count it in
   * the `watch` mode: no event object is needed (the engine's tally path).
   */
  tally(wd: number, path: ByteString, mask: EventMask): void {
    let row: StatRow;
    if (wd === this.#lastKey) {
      row = this.#lastRow!;
    } else {
      row = this.#byWd.get(wd) ?? this.#newWatchRow(wd, path);
      this.#lastKey = wd;
      this.#lastRow = row;
    }
    row.path = path;
    count(row, mask);
  }

  /**
   * Counts replayed events like live ones. Each names the watch a live event would have come from; one
   * with no watch (wd −1: its root is gone) counts against its `%w`, the root's path, in a row of its own
   * that sorts after the watches on ties.
   */
  recordReplayed(events: readonly InotifyEvent[]): void {
    for (const event of events) {
      const row =
        this.mode !== 'watch' ? this.#rowFor(event)
        : event.wd >= 0 ? this.#watchRow(event)
        : this.#unwatchedRow(event.watchPath);
      count(row, event.mask);
    }
    this.replayed += events.length;
  }

  /**
   * Brings a live watch's row up to date: created if it saw nothing yet (so `-z` lists it), renamed if
   * its directory was renamed inside the tree. Per file, a watch's own path is its row.
   */
  syncWatch(wd: number, path: ByteString): void {
    if (this.mode === 'watch') {
      const row = this.#byWd.get(wd);
      if (row) row.path = path;
      else this.#byWd.set(wd, this.#newRow(path, wd));
    } else if (this.mode !== 'process' && !this.#byPath.has(path)) {
      this.#byPath.set(path, this.#newRow(path, this.#nextOrder++));
    }
  }

  /** Every row, in no particular order. */
  rows(): StatRow[] {
    if (this.mode !== 'watch') return [...this.#byPath.values()];
    return [...this.#byWd.values(), ...this.#unwatched.values()];
  }

  #rowFor(event: InotifyEvent): StatRow {
    switch (this.mode) {
      case 'watch': return this.#watchRow(event);
      case 'dir': return this.#fileRow(event.watchPath);
      case 'file': return this.#fileRow(asBytes(event.watchPath + event.name));
      case 'process': return this.#fileRow(event.comm ?? asBytes(event.pid === undefined ? '?' : `[${event.pid}]`));
    }
  }

  #unwatchedRow(path: ByteString): StatRow {
    let row = this.#unwatched.get(path);
    if (!row) this.#unwatched.set(path, (row = this.#newRow(path, UNWATCHED_ORDER + this.#unwatched.size)));
    return row;
  }

  #watchRow(event: InotifyEvent): StatRow {
    if (event.wd === this.#lastKey) {
      const row = this.#lastRow!;
      row.path = event.watchPath;
      return row;
    }
    let row = this.#byWd.get(event.wd);
    if (row) row.path = event.watchPath; // the last name seen, for watches that are gone by print time
    else row = this.#newWatchRow(event.wd, event.watchPath);
    this.#lastKey = event.wd;
    this.#lastRow = row;
    return row;
  }

  #newWatchRow(wd: number, path: ByteString): StatRow {
    const row = this.#newRow(path, wd);
    this.#byWd.set(wd, row);
    return row;
  }

  #fileRow(path: ByteString): StatRow {
    if (path === this.#lastKey) return this.#lastRow!;
    let row = this.#byPath.get(path);
    if (!row) this.#byPath.set(path, (row = this.#newRow(path, this.#nextOrder++)));
    this.#lastKey = path;
    this.#lastRow = row;
    return row;
  }

  #newRow(path: ByteString, order: number): StatRow {
    return { path, order, counts: new Float64Array(ROW_WIDTH) };
  }
}

/** Past any wd: rows of replayed events that found no watch come after the watches on ties. */
const UNWATCHED_ORDER = 2 ** 31;

/** Bumps a row's counters for one event: each bit that has a column, and `total`. */
function count(row: StatRow, mask: EventMask): void {
  const counts = row.counts;
  let bits = mask & COUNTED_BITS;
  while (bits !== 0) {
    const bit = bits & -bits;
    counts[INDEX_BY_BIT[31 - Math.clz32(bit)]!]! += 1;
    bits ^= bit;
  }
  counts[TOTAL]! += 1;
}
