/**
 * `--json`: one document per print (a stream of them with `--interval` is NDJSON), the `statistics` record
 * of the schema every tool shares (docs/json.md). Every column of the watched set is in `counts`, zero or
 * not. A path that is not valid UTF-8 also comes as `path_base64`, its exact bytes. With `--since`,
 * `replayed` says how many of the counted events were changes made while nothing watched (they are in
 * every count).
 */
import type { ByteString, JsonRecord } from '@inotifykit/event-core';
import { jsonLine, jsonTime, putBytes } from '@inotifykit/event-core';
import { TOTAL } from '../stats/columns.js';
import type { Snapshot } from '../stats/snapshot.js';
import { rate } from '../stats/snapshot.js';

export function renderJson(snapshot: Snapshot): ByteString {
  const tally = (values: Float64Array, into: JsonRecord): JsonRecord => {
    const counts: Record<string, number> = {};
    for (const c of snapshot.watchedColumns) counts[c.name] = values[c.index]!;
    into['total'] = values[TOTAL]!;
    into['counts'] = counts;
    into['events_per_second'] = round(rate(values[TOTAL]!, snapshot.elapsed));
    return into;
  };
  const document: JsonRecord = {
    time: jsonTime(Date.now()),
    // fanotify's rows per directory are what inotify's per watch are (each directory a watch).
    mode: snapshot.mode === 'dir' ? 'watch' : snapshot.mode,
    elapsed_seconds: round(snapshot.elapsed),
    events: snapshot.watchedColumns.map((c) => c.name),
    totals: tally(snapshot.totals, {}),
    overflows: snapshot.overflows,
    ...(snapshot.replayed === undefined ? {} : { replayed: snapshot.replayed }),
    rows: snapshot.rows.map((row) => {
      const out: JsonRecord = {};
      putBytes(out, 'path', row.path);
      return tally(row.counts, out);
    }),
  };
  return jsonLine(document);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
