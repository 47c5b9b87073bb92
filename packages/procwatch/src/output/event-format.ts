/**
 * Rendering of process events: `--format` templates through event-core's template engine (compiled once),
 * or one JSON object per line with `--json`.
 *
 * Tokens: %T time (--timefmt, strftime), %e event (START/EXIT), %p pid, %P parent pid, %n name (comm),
 * %a command line, %u user, %U uid, %x exit status as a shell shows it ($?: code, or 128+signal; empty when
 * unknown). %0 is a NUL and %% a percent sign; %n is the name here, not a newline.
 */
import { compileTemplate, type TemplateSpec } from '@inotifykit/event-core';
import { compileTimeFormat } from '@inotifykit/event-core';
import { fromText, isUtf8, toText, type ByteString } from '../bytes.js';
import { userName } from '../users.js';
import { shellStatus } from '../watch/exit-status.js';
import type { ProcEvent } from '../watch/proc-event.js';
import { asBytes } from '@inotifykit/event-core';

export { DEFAULT_FORMAT, DEFAULT_TIMEFMT } from './event-defaults.js';

export type EventRenderer = (event: ProcEvent) => ByteString;

function spec(timefmt: string): TemplateSpec<ProcEvent> {
  const time = compileTimeFormat(timefmt);
  return {
    tokens: {
      T: (e) => time(e.time),
      e: (e) => asBytes(e.kind),
      p: (e) => asBytes(String(e.proc.pid)),
      P: (e) => asBytes(String(e.proc.ppid)),
      n: (e) => e.proc.comm,
      a: (e) => e.proc.commandLine,
      u: (e) => fromText(userName(e.proc.uid)),
      U: (e) => asBytes(String(e.proc.uid)),
      x: (e) => asBytes((e.exit === undefined ? '' : String(shellStatus(e.exit)))),
    },
  };
}

/** A `--format` (UTF-8 text as typed) compiled into a renderer; each event ends with a newline. */
export function compileEventFormat(format: string, timefmt: string): EventRenderer {
  return compileTemplate(asBytes(fromText(format) + '\n'), spec(timefmt));
}

/** Bytes for JSON: a string when they are valid UTF-8, else `{"base64": …}` so nothing is lost. */
function jsonBytes(bytes: ByteString): string | { base64: string } {
  return isUtf8(bytes) ? toText(bytes) : { base64: Buffer.from(bytes, 'latin1').toString('base64') };
}

/** `--json`: one object per line. JSON text is UTF-8, returned here as a byte string like the templates. */
export function jsonRenderer(): EventRenderer {
  return (e) => {
    const p = e.proc;
    const line = JSON.stringify({
      time: new Date(e.time).toISOString(),
      event: e.kind,
      pid: p.pid,
      ppid: p.ppid,
      name: jsonBytes(p.comm),
      cmdline: jsonBytes(p.commandLine),
      argv: p.argv.map(jsonBytes),
      user: userName(p.uid),
      uid: p.uid,
      exit: e.exit ?? null,
    });
    return asBytes(fromText(line) + '\n');
  };
}
