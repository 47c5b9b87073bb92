/**
 * The command, compiled once: each word split at its `{}` markers, so a trigger only joins the pieces
 * around the directory. Substitution is a single pass: a directory whose name contains `{}` is not
 * expanded again.
 */
import type { ByteString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

/** The original's default: print the directory. */
export const DEFAULT_COMMAND: readonly ByteString[] = [asBytes('echo'), asBytes('{}')];

export type CommandTemplate = (directory: ByteString) => ByteString[];

export function compileCommand(words: readonly ByteString[]): CommandTemplate {
  const parts = words.map((word) => word.split('{}'));
  return (directory) => parts.map((pieces) => asBytes(pieces.length === 1 ? pieces[0]! : pieces.join(directory)));
}
