/**
 * Where messages go. inotifywait's `output_error` lines (setup, watch errors, read errors) go to syslog
 * with `-s`/`-d`; usage errors always go to stderr. Lines are byte strings (they quote paths), written
 * with one write each, synchronously, so they are out before the process exits.
 */
import { writeSync } from 'node:fs';
import { openSyslog } from '@inotifykit/sys';
import type { ByteString } from '@inotifykit/event-core';
import { toCString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

export interface Diagnostics {
  /** inotifywait's `output_error`: stderr, or syslog at LOG_INFO with `-s`. */
  report(line: ByteString): void;
}

export function writeStderr(lines: readonly ByteString[]): void {
  if (lines.length === 0) return;
  try {
    writeSync(2, Buffer.from(lines.map((l) => l + '\n').join(''), 'latin1'));
  } catch {
    // stderr closed: nothing else to tell anyone
  }
}

export const stderrDiagnostics: Diagnostics = { report: (line) => writeStderr([line]) };

export async function syslogDiagnostics(): Promise<Diagnostics> {
  const log = openSyslog(toCString(asBytes('inotifywait')));
  return { report: (line) => log(toCString(asBytes(line + '\n'))) };
}
