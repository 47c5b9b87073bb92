/**
 * inotifywatch's own table, byte for byte: `total  ` then each visible column's name and two spaces, then
 * `filename`; each row `%-5u  ` then `%-Nu  ` per column (N = the column name's length; wider numbers
 * push the rest out), then the path. Nothing at all when no event was counted (the caller says so).
 */
import type { ByteString } from '@inotifykit/event-core';
import { TOTAL } from '../stats/columns.js';
import type { Snapshot } from '../stats/snapshot.js';
import { asBytes } from '@inotifykit/event-core';

export function renderClassic(snapshot: Snapshot): ByteString {
  const columns = snapshot.visibleColumns;
  let out = 'total  ';
  for (const c of columns) out += c.name + '  ';
  out += snapshot.mode === 'process' ? 'process\n' : 'filename\n';
  for (const row of snapshot.rows) {
    out += cell(row.counts[TOTAL]!, 5);
    for (const c of columns) out += cell(row.counts[c.index]!, c.name.length);
    out += row.path + '\n';
  }
  return asBytes(out);
}

function cell(count: number, width: number): string {
  return String(count).padEnd(width) + '  ';
}
