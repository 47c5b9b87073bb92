/**
 * `/proc/[pid]/cmdline` is argv joined by NULs. procps shows it (pgrep -a) and matches it (pgrep -f) as one
 * line: NULs and newlines become spaces, other control bytes become `?`, and a process with no command line
 * (a kernel thread, or a zombie whose memory is gone) is shown as `[comm]`, plus ` <defunct>` for a zombie.
 * procwatch builds the same line so that `-f` and `-a` agree with pgrep.
 */
import type { ByteString } from '../bytes.js';
import { asBytes } from '@inotifykit/event-core';

/** argv as the kernel keeps it; empty for kernel threads and zombies. */
export function splitArgv(raw: ByteString): ByteString[] {
  if (raw.length === 0) return [];
  const trimmed = raw.endsWith('\0') ? raw.slice(0, -1) : raw;
  return trimmed.split('\0').map(asBytes);
}

/** The one-line command as procps renders it (see the module comment). */
export function commandLine(raw: ByteString, comm: ByteString, zombie: boolean): ByteString {
  // Trailing NULs go first (procps read_unvectored), then the separators become spaces.
  const body = raw.replace(/\0+$/, '');
  if (body.length === 0) return zombie ? asBytes(`[${comm}] <defunct>`) : asBytes(`[${comm}]`);
  return asBytes(body.replace(/[\0\n]/g, ' ').replace(/[\x01-\x1f\x7f]/g, '?'));
}
