/** Warnings about runs, worded for a user reading a log: which command, for which directory, what went wrong. */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import type { Outcome } from './command-process.js';

/** A word as a shell would need it quoted, so the command in a warning can be pasted back. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function describeCommand(argv: readonly ByteString[]): string {
  return argv.map((word) => shellWord(toText(word))).join(' ');
}

/** The warning for a run, or undefined when it succeeded (or when `silent` hides it). */
export function outcomeWarning(argv: readonly ByteString[], outcome: Outcome, silent: boolean): string | undefined {
  switch (outcome.kind) {
    case 'exited':
      return outcome.code === 0 || silent ? undefined : `command \`${describeCommand(argv)}' exited with status ${outcome.code}`;
    case 'signaled':
      return silent ? undefined : `command \`${describeCommand(argv)}' was terminated by ${outcome.signal}`;
    case 'not-started':
      return `cannot run \`${describeCommand(argv)}': ${outcome.reason}`;
  }
}
