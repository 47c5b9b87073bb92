/**
 * A snapshot: the rows in print order, the visible columns and the grand totals, taken once per print.
 * Every output format renders from one of these, so they always agree.
 */
import type { EventMask } from '@inotifykit/event-core';
import type { SortOrder } from '../args/sort-key.js';
import type { Column } from './columns.js';
import { COLUMNS, ROW_WIDTH, TOTAL } from './columns.js';
import type { RowMode, StatRow } from './collector.js';

export interface Snapshot {
  readonly mode: RowMode;
  /** Columns of the watched set, in the fixed order (what machine formats always show). */
  readonly watchedColumns: readonly Column[];
  /** Columns inotifywatch shows: watched and (`-z` or some count > 0). */
  readonly visibleColumns: readonly Column[];
  /** Rows in print order (copies): sorted, ties by creation order; zero rows only with `-z`. */
  readonly rows: readonly StatRow[];
  /** Sums over every row (shown or not), indexed like a row. */
  readonly totals: Float64Array;
  /** Seconds since collection started. */
  readonly elapsed: number;
  /** Q_OVERFLOW events seen (counts are incomplete when > 0). */
  readonly overflows: number;
  /** With `--since`: how many of the counted events were replayed (changes made while nothing watched). */
  readonly replayed?: number;
}

export interface SnapshotSettings {
  readonly events: EventMask;
  readonly zero: boolean;
  readonly sort: SortOrder;
}

export function takeSnapshot(
  allRows: readonly StatRow[],
  settings: SnapshotSettings,
  elapsed: number,
  overflows: number,
  mode: RowMode,
  replayed?: number,
): Snapshot {
  const totals = new Float64Array(ROW_WIDTH);
  for (const row of allRows) for (let i = 0; i < ROW_WIDTH; i++) totals[i]! += row.counts[i]!;
  const watchedColumns = COLUMNS.filter((c) => (c.bit & settings.events) !== 0);
  const visibleColumns = watchedColumns.filter((c) => settings.zero || totals[c.index]! > 0);
  // Copies: counting goes on while a print waits for a slow reader.
  const rows = allRows
    .filter((r) => settings.zero || r.counts[TOTAL]! > 0)
    .map((r) => ({ path: r.path, order: r.order, counts: r.counts.slice() }));
  const key = settings.sort.by === 'total' ? TOTAL : settings.sort.by.index;
  const sign = settings.sort.descending ? -1 : 1;
  rows.sort((a, b) => sign * (a.counts[key]! - b.counts[key]!) || a.order - b.order);
  return { mode, watchedColumns, visibleColumns, rows, totals, elapsed, overflows, ...(replayed === undefined ? {} : { replayed }) };
}

/** Events per second over the collection time (0 before any time has passed). */
export function rate(count: number, elapsed: number): number {
  return elapsed > 0 ? count / elapsed : 0;
}
