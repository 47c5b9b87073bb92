/**
 * inotifywatch's counters: one per single event, in the fixed column order of its table, plus `total`.
 * A counter row is a Float64Array indexed by column (exact up to 2^53, no per-event allocation).
 */
import { asMask, eventNameToMask } from '@inotifykit/event-core';
import type { EventMask } from '@inotifykit/event-core';

/** inotifywatch's fixed column order (not the kernel's bit order: move_self comes before create). */
const COLUMN_NAMES = [
  'access', 'modify', 'attrib', 'close_write', 'close_nowrite', 'open', 'moved_from', 'moved_to', 'move_self',
  'create', 'delete', 'delete_self', 'unmount',
] as const;

/** One event column: its bit, its name (also its header text) and its position in a counter row. */
export interface Column {
  readonly bit: EventMask;
  readonly name: string;
  readonly index: number;
}

export const COLUMNS: readonly Column[] = COLUMN_NAMES.map((name, index) => ({ bit: eventNameToMask(name)!, name, index }));

/** Index of `total` in a counter row (after the event columns). */
export const TOTAL = COLUMNS.length;

/** Length of a counter row. */
export const ROW_WIDTH = COLUMNS.length + 1;

/** The bits that have a column: everything else (IGNORED, ISDIR, …) only counts in `total`. */
export const COUNTED_BITS: EventMask = asMask(COLUMNS.reduce((mask, c) => mask | c.bit, 0));

/** Column index by bit number (31 - clz32(bit)); -1 where a bit has no column. */
export const INDEX_BY_BIT: Int8Array = (() => {
  const table = new Int8Array(32).fill(-1);
  for (const c of COLUMNS) table[31 - Math.clz32(c.bit)] = c.index;
  return table;
})();

/** The column for exactly one event bit; undefined for 0, combined masks (`close`, `move`) and flags. */
export function columnOf(mask: EventMask): Column | undefined {
  return COLUMNS.find((c) => c.bit === mask);
}

export function columnByName(name: string): Column | undefined {
  return COLUMNS.find((c) => c.name === name);
}

