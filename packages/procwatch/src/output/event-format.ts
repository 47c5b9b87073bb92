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
import { asBytes, compileTimeFormat, jsonLine, jsonTime, overflowRecord, putBytes, putBytesList } from '@inotifykit/event-core';
import type { JsonRecord } from '@inotifykit/event-core';
import { fromText, type ByteString } from '../bytes.js';
import { userName } from '../users.js';
import { shellStatus } from '../watch/exit-status.js';
import type { ProcEvent } from '../watch/proc-event.js';

export { DEFAULT_FORMAT, DEFAULT_TIMEFMT } from './event-defaults.js';

export type EventRenderer = (event: ProcEvent) => ByteString;

function spec(timefmt: ByteString): TemplateSpec<ProcEvent> {
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

/** A `--format` (the bytes typed) compiled into a renderer; each event ends with a newline. */
export function compileEventFormat(format: ByteString, timefmt: ByteString): EventRenderer {
  return compileTemplate(asBytes(format + '\n'), spec(timefmt));
}

/**
 * `--json`: one object per line, the process-event record of docs/json.md: `events` (`["start"]`, …, or
 * `["q_overflow"]` alone for an overflow), the process's fields (those unknown left out), and on an exit
 * `exit_code` or `signal` (+ `core_dumped`) when known. JSON text is UTF-8, returned as a byte string.
 */
export function jsonRenderer(): EventRenderer {
  return (e) => {
    if (e.kind === 'OVERFLOW') return jsonLine(overflowRecord(e.time));
    const p = e.proc;
    const record: JsonRecord = { time: jsonTime(e.time), events: [e.kind.toLowerCase()], pid: p.pid, ppid: p.ppid };
    putBytes(record, 'comm', p.comm);
    putBytes(record, 'cmdline', p.commandLine);
    putBytesList(record, 'argv', p.argv);
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
    return jsonLine(record);
  };
}
