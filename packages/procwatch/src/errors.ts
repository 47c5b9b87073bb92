/**
 * Typed errors. Each carries the exit status the CLI uses and, where there is one, the hint a user needs.
 * Exit statuses follow pgrep: 0 matched, 1 nothing matched, 2 bad usage; timeouts exit 2 like inotifywait.
 */
import type { ByteString } from '@inotifykit/event-core';
import { InotifyKitError, toText } from '@inotifykit/event-core';

/** procwatch's branch of the one error family: the exit status is always given (pgrep's rules). */
export class ProcwatchError extends InotifyKitError {
  constructor(message: string, exitCode: number, hint?: string, options?: { cause?: unknown }) {
    super(message, hint, { exitCode, cause: options?.cause });
  }
}

const TRY_HELP = 'Try `procwatch --help\' for more information.';

/** Bad command line: unknown option, conflicting options, missing pattern, invalid regex. Exit 2. */
export class UsageError extends ProcwatchError {
  readonly #line: ByteString | undefined;
  constructor(message: string, hint = TRY_HELP, line?: ByteString) {
    super(message, 2, hint);
    this.#line = line;
  }
  /** A message that quotes what was typed: its bytes go to stderr as typed (`message` is the text form). */
  static quoting(line: ByteString, hint = TRY_HELP): UsageError {
    return new UsageError(toText(line), hint, line);
  }
  override get messageBytes(): ByteString {
    return this.#line ?? super.messageBytes;
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
  constructor(readonly pattern: ByteString, detail: string) {
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
