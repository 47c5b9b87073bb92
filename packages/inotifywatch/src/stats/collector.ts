/**
 * Counting. Rows are watches (inotifywatch's model: an event inside a watched directory counts against the
 * directory) or, with `--per-file`, the paths `%w%f` the events name. The hot path does a map lookup (a
 * one-entry cache catches runs on the same watch) and bumps a few slots of a Float64Array.
 */
import type { ByteString, InotifyEvent } from '@inotifykit/event-core';
import { COUNTED_BITS, INDEX_BY_BIT, ROW_WIDTH, TOTAL } from './columns.js';

export type RowMode = 'watch' | 'file';

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
  readonly #byWd = new Map<number, StatRow>();
  readonly #byPath = new Map<ByteString, StatRow>();
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
    const row = this.mode === 'watch' ? this.#watchRow(event) : this.#fileRow(event.watchPath + event.name);
    const counts = row.counts;
    let bits = event.mask & COUNTED_BITS;
    while (bits !== 0) {
      const bit = bits & -bits;
      counts[INDEX_BY_BIT[31 - Math.clz32(bit)]!]! += 1;
      bits ^= bit;
    }
    counts[TOTAL]! += 1;
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
    } else if (!this.#byPath.has(path)) {
      this.#byPath.set(path, this.#newRow(path, this.#nextOrder++));
    }
  }

  /** Every row, in no particular order. */
  rows(): StatRow[] {
    return [...(this.mode === 'watch' ? this.#byWd : this.#byPath).values()];
  }

  #watchRow(event: InotifyEvent): StatRow {
    if (event.wd === this.#lastKey) {
      const row = this.#lastRow!;
      row.path = event.watchPath;
      return row;
    }
    let row = this.#byWd.get(event.wd);
    if (row) row.path = event.watchPath; // the last name seen, for watches that are gone by print time
    else this.#byWd.set(event.wd, (row = this.#newRow(event.watchPath, event.wd)));
    this.#lastKey = event.wd;
    this.#lastRow = row;
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
