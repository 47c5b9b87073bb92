/**
 * Typed errors. Each carries the exit status the CLI uses and, where there is one, the hint a user needs.
 * Exit statuses follow pgrep: 0 matched, 1 nothing matched, 2 bad usage; timeouts exit 2 like inotifywait.
 */
import { InotifyKitError } from '@inotifykit/event-core';

/** procwatch's branch of the one error family: the exit status is always given (pgrep's rules). */
export class ProcwatchError extends InotifyKitError {
  constructor(message: string, exitCode: number, hint?: string, options?: { cause?: unknown }) {
    super(message, hint, { exitCode, cause: options?.cause });
  }
}

/** Bad command line: unknown option, conflicting options, missing pattern, invalid regex. Exit 2. */
export class UsageError extends ProcwatchError {
  constructor(message: string, hint = 'Try `procwatch --help\' for more information.') {
    super(message, 2, hint);
  }
}

/** A user name given to -u that the system does not know. Exit 2, as pgrep does. */
export class UnknownUserError extends UsageError {
  constructor(readonly user: string) {
    super(`invalid user name: ${user}`);
  }
}

/** The pattern is not a valid extended regular expression. Exit 2. */
export class PatternError extends UsageError {
  constructor(readonly pattern: string, detail: string) {
    super(`regex error: ${detail}`);
  }
}

/** The COMMAND given to --ensure could not be started (not found, not executable). Exit 1. */
export class SpawnError extends ProcwatchError {
  constructor(readonly command: string, reason: string) {
    // A command given as one quoted string ("sshd -D") is the usual mistake: there is no shell to split it.
    const hint = command.startsWith("'") ? 'COMMAND is run without a shell: give the program and its arguments as separate words.' : undefined;
    super(`cannot start ${command}: ${reason}`, 1, hint);
  }
}
