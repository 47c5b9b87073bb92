/**
 * `--csv`: a header and one record per row, RFC 4180 quoting. Columns: `total`, every column of the
 * watched set (zero or not), `events_per_second`, `filename` (the path's exact bytes).
 */
import type { ByteString } from '@inotifykit/event-core';
import { TOTAL } from '../stats/columns.js';
import type { Snapshot } from '../stats/snapshot.js';
import { rate } from '../stats/snapshot.js';
import { asBytes } from '@inotifykit/event-core';

export function renderCsv(snapshot: Snapshot): ByteString {
  const columns = snapshot.watchedColumns;
  let out = (['total', ...columns.map((c) => c.name), 'events_per_second', 'filename'].join(',') + '\n');
  for (const row of snapshot.rows) {
    const fields = [row.counts[TOTAL]!, ...columns.map((c) => row.counts[c.index]!)].map(String);
    fields.push(rate(row.counts[TOTAL]!, snapshot.elapsed).toFixed(3), quote(row.path));
    out += fields.join(',') + '\n';
  }
  return asBytes(out);
}

/** Quoted when it holds a comma, a quote, CR or LF, or starts or ends with a space; `"` doubled inside. */
function quote(field: ByteString): ByteString {
  return /[",\r\n]|^ | $/.test(field) ? asBytes(`"${field.replace(/"/g, '""')}"`) : field;
}
