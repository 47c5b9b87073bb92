/**
 * `--table`: the same rows and columns as inotifywatch's table (so `-z` and `-e` work alike), boxed and
 * right-aligned by cli-table3, with an events-per-second column and a totals row. Unicode text; names
 * are escaped where they would break the layout (see path-text.ts).
 */
import type { ByteString } from '@inotifykit/event-core';
import { createRequire } from 'node:module';
import type CliTable3 from 'cli-table3';
import { TOTAL } from '../stats/columns.js';
import type { Snapshot } from '../stats/snapshot.js';
import { rate } from '../stats/snapshot.js';
import { displayText } from './path-text.js';
import { asBytes } from '@inotifykit/event-core';
import { tableChars } from '@inotifykit/cli-kit';

const require = createRequire(import.meta.url);
let Table: typeof CliTable3 | undefined;

export function renderBoxed(snapshot: Snapshot): ByteString {
  // Loaded on first use: most runs never draw a box, and start-up time matters.
  Table ??= require('cli-table3') as typeof CliTable3;
  const columns = snapshot.visibleColumns;
  const table = new Table({
    head: ['total', ...columns.map((c) => c.name), 'events/s', 'filename'],
    colAligns: ['right', ...columns.map(() => 'right' as const), 'right', 'left'],
    style: { head: [], border: [], compact: true },
    ...(tableChars() && { chars: tableChars() }),
  });
  for (const row of snapshot.rows) {
    table.push([
      row.counts[TOTAL]!,
      ...columns.map((c) => row.counts[c.index]!),
      rate(row.counts[TOTAL]!, snapshot.elapsed).toFixed(2),
      displayText(row.path),
    ]);
  }
  const totals = snapshot.totals;
  table.push([
    totals[TOTAL]!,
    ...columns.map((c) => totals[c.index]!),
    rate(totals[TOTAL]!, snapshot.elapsed).toFixed(2),
    totalsLabel(snapshot),
  ]);
  // Compact mode draws a rule under the header only; put the same rule above the totals row.
  const lines = table.toString().split('\n');
  lines.splice(lines.length - 2, 0, lines[2]!);
  return asBytes(Buffer.from(lines.join('\n') + '\n', 'utf8').toString('latin1'));
}

function totalsLabel(snapshot: Snapshot): string {
  const what = snapshot.mode === 'watch' || snapshot.mode === 'dir' ? 'watches' : snapshot.mode === 'process' ? 'processes' : 'files';
  const overflow = snapshot.overflows > 0 ? `, ${snapshot.overflows} overflow(s): counts incomplete` : '';
  const replayed = snapshot.replayed === undefined ? '' : `, ${snapshot.replayed} replayed`;
  return `all ${what}, ${snapshot.elapsed.toFixed(1)} s${replayed}${overflow}`;
}
