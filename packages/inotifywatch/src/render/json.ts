/**
 * `--json`: one JSON document per line (a stream of snapshots with `--interval` is NDJSON). Every column
 * of the watched set is present, zero or not. A path that is not valid UTF-8 comes as `pathBase64` (its
 * exact bytes) next to a `path` with U+FFFD replacements. With `--since`, `replayed` says how many of the
 * counted events were changes made while nothing watched (they are in every count).
 */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import { TOTAL } from '../stats/columns.js';
import type { Snapshot } from '../stats/snapshot.js';
import { rate } from '../stats/snapshot.js';
import { utf8Text } from './path-text.js';
import { asBytes } from '@inotifykit/event-core';

type Counts = Record<string, number>;

export function renderJson(snapshot: Snapshot): ByteString {
  const counts = (values: Float64Array): Counts => {
    const out: Counts = { total: values[TOTAL]! };
    for (const c of snapshot.watchedColumns) out[c.name] = values[c.index]!;
    return out;
  };
  const document = {
    mode: snapshot.mode,
    elapsedSeconds: round(snapshot.elapsed),
    events: snapshot.watchedColumns.map((c) => c.name),
    totals: { ...counts(snapshot.totals), eventsPerSecond: round(rate(snapshot.totals[TOTAL]!, snapshot.elapsed)) },
    overflows: snapshot.overflows,
    ...(snapshot.replayed === undefined ? {} : { replayed: snapshot.replayed }),
    rows: snapshot.rows.map((row) => {
      const text = utf8Text(row.path);
      return {
        path: text ?? toText(row.path),
        ...(text === undefined ? { pathBase64: Buffer.from(row.path, 'latin1').toString('base64') } : {}),
        ...counts(row.counts),
        eventsPerSecond: round(rate(row.counts[TOTAL]!, snapshot.elapsed)),
      };
    }),
  };
  // JSON.stringify gives UTF-16 text; the writer takes byte strings.
  return asBytes(Buffer.from(JSON.stringify(document) + '\n', 'utf8').toString('latin1'));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
