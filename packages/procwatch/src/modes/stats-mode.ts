/**
 * --stats: what ran on this machine. Counts the execs (START) and exits (EXIT, and how many of them
 * failed: a non-zero code or a signal) of the matching processes per program (`comm`), or per user with
 * --per-user, for -t SECONDS or until SIGINT/SIGTERM, then prints a table (most execs first) or, with
 * --json, one statistics document (docs/json.md). inotifywatch's shape, for processes.
 */
import type { ResolvedArgs } from '../args/parse.js';
import { asBytes } from '@inotifykit/event-core';
import { fromText, toText, type ByteString } from '../bytes.js';
import { writeErr, writeOut } from '../output/write.js';
import { compileSelector } from '../select/criteria.js';
import { userName } from '../users.js';
import { createProcessSource } from '../watch/choose-source.js';
import { sourceOptions } from './source-options.js';
import type { ProcEvent } from '../watch/proc-event.js';
import { WATCHES_ESTABLISHED } from './deadline.js';

interface Row {
  key: ByteString;
  uid: number;
  starts: number;
  exits: number;
  failed: number;
}

/** What an unread process is counted as (gone from /proc before it could be read). */
const UNKNOWN = asBytes('?');

export class StatsTable {
  readonly rows = new Map<ByteString, Row>();
  overflows = 0;
  /** Execs the selection could not decide on (gone before /proc could be read): not in any row. */
  unidentified = 0;

  constructor(readonly perUser: boolean) {}

  add(event: ProcEvent): void {
    if (event.kind === 'OVERFLOW') {
      this.overflows += 1;
      return;
    }
    const p = event.proc;
    const key = this.perUser ? (p.uid >= 0 ? fromText(userName(p.uid)) : UNKNOWN) : p.comm.length > 0 ? p.comm : UNKNOWN;
    const row = this.rows.get(key) ?? { key, uid: p.uid, starts: 0, exits: 0, failed: 0 };
    this.rows.set(key, row);
    if (event.kind === 'START') row.starts += 1;
    else if (event.kind === 'EXIT') {
      row.exits += 1;
      if (event.exit !== undefined && !('code' in event.exit && event.exit.code === 0)) row.failed += 1;
    }
  }

  sorted(): Row[] {
    return [...this.rows.values()].sort((a, b) => b.starts - a.starts || b.exits - a.exits || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** inotifywatch's layout: right-aligned counts, then the name. */
  text(): ByteString {
    const rows = this.sorted();
    if (rows.length === 0) return asBytes('');
    const total = (f: (r: Row) => number): number => rows.reduce((n, r) => n + f(r), 0);
    const head = ['execs', 'exits', 'failed'];
    const cells = [...rows.map((r) => [r.starts, r.exits, r.failed].map(String)), [total((r) => r.starts), total((r) => r.exits), total((r) => r.failed)].map(String)];
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    const line = (c: readonly string[], name: string): string => c.map((v, i) => v.padStart(widths[i]!)).join('  ') + '  ' + name + '\n';
    // Names are bytes (latin1 chars), the rest ASCII: joined as byte strings.
    return asBytes(line(head, this.perUser ? 'user' : 'program') + rows.map((r, i) => line(cells[i]!, r.key)).join('') + line(cells[cells.length - 1]!, '(total)'));
  }

  json(elapsedMs: number): ByteString {
    const rows = this.sorted().map((r) => ({
      ...(this.perUser ? { user: toText(r.key), ...(r.uid >= 0 ? { uid: r.uid } : {}) } : { comm: toText(r.key) }),
      total: r.starts + r.exits,
      counts: { start: r.starts, exit: r.exits },
      failed: r.failed,
    }));
    const sum = (k: 'start' | 'exit'): number => rows.reduce((n, r) => n + r.counts[k], 0);
    return fromText(
        JSON.stringify({
          time: new Date().toISOString().replace('Z', '000Z'),
          mode: this.perUser ? 'user' : 'program',
          elapsed_seconds: Math.round(elapsedMs) / 1000,
          events: ['start', 'exit'],
          totals: { total: sum('start') + sum('exit'), counts: { start: sum('start'), exit: sum('exit') }, failed: rows.reduce((n, r) => n + r.failed, 0) },
          overflows: this.overflows,
          unidentified: this.unidentified,
          rows,
        }) + '\n',
      );
  }
}

export async function runStats(args: ResolvedArgs, perUser: boolean): Promise<number> {
  const { output, watch } = args;
  const table = new StatsTable(perUser);
  let failed: (err: unknown) => void = () => {};
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    failed = reject;
  });
  const source = createProcessSource(
    { ...sourceOptions(args, compileSelector(args.select), new Set(['START', 'EXIT']), (err) => failed(err)), sayUnidentified: false },
    (event) => table.add(event),
  );
  const started = Date.now();
  await source.start();
  if (!output.quiet) writeErr(WATCHES_ESTABLISHED);
  const timer = watch.timeoutMs === undefined ? undefined : setTimeout(finish, watch.timeoutMs);
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  try {
    await done;
    // What happened up to the signal counts, also what the kernel sent that was not read yet.
    source.flush?.();
  } finally {
    clearTimeout(timer);
    await source.close();
  }
  table.unidentified = source.unidentified ?? 0;
  // Processes started during the count and still running have no EXIT: the table says what happened.
  if (output.json) writeOut(table.json(Date.now() - started));
  else if (table.rows.size === 0) writeErr('No events occurred.');
  else writeOut(table.text());
  if (table.overflows > 0 && !output.quiet) writeErr(`procwatch: the kernel dropped events ${table.overflows} time(s): the counts are low`);
  if (table.unidentified > 0 && !output.quiet) writeErr(`procwatch: ${table.unidentified} exec(s) could not be identified (gone before /proc/PID could be read): not counted`);
  return 0;
}
