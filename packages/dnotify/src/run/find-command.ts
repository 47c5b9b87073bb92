/**
 * Checks at start-up that the command can be run, so a typo fails at once with a shell's message and
 * status (127 not found, 126 not executable) instead of once per change. A command word containing `{}`
 * is only known per trigger and is not checked.
 */
import { accessSync, constants, statSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { fromText, toBuffer } from '@inotifykit/event-core';
import { CommandError } from '../errors.js';
import { asBytes } from '@inotifykit/event-core';

function executable(path: ByteString): boolean {
  try {
    accessSync(toBuffer(path), constants.X_OK);
    return statSync(toBuffer(path)).isFile();
  } catch {
    return false;
  }
}

function exists(path: ByteString): boolean {
  try {
    statSync(toBuffer(path));
    return true;
  } catch {
    return false;
  }
}

/** Throws {@link CommandError} when `command` (argv[0]) cannot be run. */
export function checkCommand(command: ByteString, pathVariable = process.env.PATH ?? ''): void {
  if (command.includes('{}')) return;
  if (command.includes('/')) {
    if (executable(command)) return;
    throw new CommandError(command, exists(command) ? 'not-executable' : 'not-found');
  }
  // execvp's search: every PATH entry in order, an empty entry meaning the current directory.
  let foundButNotExecutable = false;
  for (const dir of fromText(pathVariable).split(':')) {
    const candidate = asBytes((dir === '' ? '.' : dir) + '/' + command);
    if (executable(candidate)) return;
    if (exists(candidate)) foundButNotExecutable = true;
  }
  throw new CommandError(command, foundButNotExecutable ? 'not-executable' : 'not-found');
}
