/**
 * The command-line arguments as the bytes the user typed. Node decodes argv as UTF-8 and replaces invalid
 * sequences with U+FFFD, so a directory named with a Latin-1 byte would be lost; Linux keeps the original
 * bytes in /proc/self/cmdline. The user's arguments are its last entries (before them come node, its own
 * options and the script). Each is checked against process.argv; on any mismatch (or without /proc) the
 * decoded text is used.
 */
import { readFileSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { fromText, toText } from '@inotifykit/event-core';

export function rawArgs(): ByteString[] {
  const typed = process.argv.slice(2);
  try {
    const entries = readFileSync('/proc/self/cmdline').toString('latin1').split('\0');
    entries.pop(); // the final NUL terminates the last entry
    const tail = entries.slice(entries.length - typed.length);
    if (tail.length === typed.length && tail.every((bytes, i) => toText(bytes) === typed[i])) return tail;
  } catch {
    // no /proc: fall back to the decoded text
  }
  return typed.map(fromText);
}
