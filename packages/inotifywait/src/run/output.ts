/**
 * Where the output goes: stdout or `-o FILE` (opened for appending, as inotify-tools does), the `--ready`
 * line, and plain synchronous writes for help, version and readiness.
 */
import { constants, openSync, writeSync } from 'node:fs';
import { asBytes, toBuffer } from '@inotifykit/event-core';
import { UsageError } from '@inotifykit/cli-kit';
import type { InotifywaitOptions } from '../options.js';

/** The fd events are written to: 1, or `-o FILE` (mode 0600 when created). Throws inotify-tools' error. */
export function openOutput(o: InotifywaitOptions, daemonChild: boolean): number {
  // A daemon's stdout is already the outfile (daemon.ts).
  if (o.outfile === undefined || daemonChild) return 1;
  try {
    return openSync(toBuffer(o.outfile), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600);
  } catch {
    throw new UsageError(asBytes(`Failed to open output file ${o.outfile}`));
  }
}

/** `--ready`: the line, given the number of watches (JSON with --json). */
export async function readyText(o: InotifywaitOptions): Promise<(watches: number) => string> {
  if (!o.json) return () => 'READY\n';
  return (await import('../json-format.js')).jsonReadyLine;
}

export function writeAll(fd: number, data: Buffer): void {
  let rest = data;
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
  } catch {
    // the reader is gone; nothing to do about it here
  }
}
