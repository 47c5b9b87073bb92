/**
 * Rendering of process events: `--format` templates through event-core's template engine (compiled once),
 * or one JSON object per line with `--json`.
 *
 * Tokens: %T time (--timefmt, strftime), %e event (START, EXIT, FORK, UID, GID, COMM, OVERFLOW), %p pid,
 * %P parent pid, %n name (comm), %a command line, %u user, %U uid, %G gid, %x exit status as a shell shows
 * it ($?: code, or 128+signal; empty when unknown), %s the signal that killed it (empty otherwise). What is
 * unknown is empty (an OVERFLOW has no process). %0 is a NUL and %% a percent sign; %n is the name here,
 * not a newline.
 */
import { compileTemplate, type TemplateSpec } from '@inotifykit/event-core';
import { asBytes, compileTimeFormat } from '@inotifykit/event-core';
import { fromText, isUtf8, toText, type ByteString } from '../bytes.js';
import { userName } from '../users.js';
import { shellStatus } from '../watch/exit-status.js';
import type { ProcEvent } from '../watch/proc-event.js';

export { DEFAULT_FORMAT, DEFAULT_TIMEFMT } from './event-defaults.js';

export type EventRenderer = (event: ProcEvent) => ByteString;

function spec(timefmt: string): TemplateSpec<ProcEvent> {
  const time = compileTimeFormat(timefmt);
  return {
    tokens: {
      T: (e) => time(e.time),
      e: (e) => asBytes(e.kind),
      p: (e) => asBytes(e.proc.pid > 0 ? String(e.proc.pid) : ''),
      P: (e) => asBytes(e.proc.pid > 0 ? String(e.proc.ppid) : ''),
      n: (e) => e.proc.comm,
      a: (e) => e.proc.commandLine,
      u: (e) => (e.proc.uid >= 0 ? fromText(userName(e.proc.uid)) : asBytes('')),
      U: (e) => asBytes(e.proc.uid >= 0 ? String(e.proc.uid) : ''),
      G: (e) => asBytes(e.proc.gid >= 0 ? String(e.proc.gid) : ''),
      x: (e) => asBytes(e.exit === undefined ? '' : String(shellStatus(e.exit))),
      s: (e) => asBytes(e.exit !== undefined && 'signal' in e.exit ? e.exit.signal : ''),
    },
  };
}

/** A `--format` (UTF-8 text as typed) compiled into a renderer; each event ends with a newline. */
export function compileEventFormat(format: string, timefmt: string): EventRenderer {
  return compileTemplate(asBytes(fromText(format) + '\n'), spec(timefmt));
}

/** Bytes for JSON (docs/json.md): the text, and `<key>_base64` with the exact bytes when they are not UTF-8. */
function putBytes(record: Record<string, unknown>, key: string, bytes: ByteString): void {
  record[key] = toText(bytes);
  if (!isUtf8(bytes)) record[`${key}_base64`] = Buffer.from(bytes, 'latin1').toString('base64');
}

/** RFC 3339, UTC, microseconds (docs/json.md). */
function jsonTime(ms: number): string {
  const us = Math.round(ms * 1000);
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, -1)}${String(((us % 1000) + 1000) % 1000).padStart(3, '0')}Z`;
}

/**
 * `--json`: one object per line, the process-event record of docs/json.md: `events` (`["start"]`, …, or
 * `["q_overflow"]` alone for an overflow), the process's fields (those unknown left out), and on an exit
 * `exit_code` or `signal` (+ `core_dumped`) when known. JSON text is UTF-8, returned as a byte string.
 */
export function jsonRenderer(): EventRenderer {
  return (e) => {
    const time = jsonTime(e.time);
    if (e.kind === 'OVERFLOW') return fromText(JSON.stringify({ time, events: ['q_overflow'] }) + '\n');
    const p = e.proc;
    const record: Record<string, unknown> = { time, events: [e.kind.toLowerCase()], pid: p.pid, ppid: p.ppid };
    putBytes(record, 'comm', p.comm);
    putBytes(record, 'cmdline', p.commandLine);
    record['argv'] = p.argv.map(toText);
    if (!p.argv.every(isUtf8)) record['argv_base64'] = p.argv.map((a) => Buffer.from(a, 'latin1').toString('base64'));
    if (p.uid >= 0) {
      record['user'] = userName(p.uid);
      record['uid'] = p.uid;
    }
    if (p.gid >= 0) record['gid'] = p.gid;
    if (e.exit !== undefined) {
      if ('code' in e.exit) record['exit_code'] = e.exit.code;
      else {
        record['signal'] = e.exit.signal;
        if (e.exit.coreDumped) record['core_dumped'] = true;
      }
    }
    return fromText(JSON.stringify(record) + '\n');
  };
}
