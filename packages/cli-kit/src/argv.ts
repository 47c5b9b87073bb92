/**
 * The command-line arguments as bytes. Node decodes argv as UTF-8 and replaces invalid sequences, so a
 * path like `$'d/\xff'` would be lost; Linux keeps the original bytes in /proc/self/cmdline.
 */
import { readFileSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { asBytes, fromText } from '@inotifykit/event-core';

/**
 * The name the tool was started by, as inotify-tools 4.25 looks at basename(argv[0]): bin/fsnotifywait
 * runs inotifywait's code through bin/lib/fsnotifywait.cjs, so the script's name tells. `fallback` when
 * the script is not one of ours (a test importing the module).
 */
export function invokedName<T extends string>(names: readonly T[], fallback: T): T {
  const script = process.argv[1] ?? '';
  const base = script.slice(script.lastIndexOf('/') + 1).replace(/\.[cm]?js$/, '');
  return names.find((n) => n === base) ?? fallback;
}

/** `process.argv.slice(2)` as byte strings (the exact bytes the user passed). */
export function rawArgs(): ByteString[] {
  const decoded = process.argv.slice(2);
  if (process.platform !== 'linux') return decoded.map(fromText);
  // ASCII as decoded is ASCII as passed (UTF-8 decoding turns a bad byte into U+FFFD, never into ASCII):
  // /proc is read only for the rest. Reading it cost a 64 KiB buffer of fresh pages at every start.
  if (decoded.every((a) => /^[\x00-\x7f]*$/.test(a))) return decoded.map(asBytes);
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return decoded.map(fromText);
  }
  // NUL-terminated entries: node, its own options, the script, then ours. Ours are the last ones.
  const entries = cmdline.toString('latin1').split('\0');
  if (entries[entries.length - 1] === '') entries.pop();
  const ours = entries.slice(entries.length - decoded.length);
  if (ours.length !== decoded.length) return decoded.map(fromText);
  // Trust /proc only when it is the same list Node decoded (a changed process title would not be).
  for (let i = 0; i < ours.length; i++) {
    if (Buffer.from(ours[i]!, 'latin1').toString('utf8') !== decoded[i]) return decoded.map(fromText);
  }
  return ours.map(asBytes);
}
