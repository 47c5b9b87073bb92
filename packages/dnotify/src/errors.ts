/**
 * dnotify's typed errors. Each is one line for the user, plus (sometimes) a hint line, and the exit status
 * the CLI uses. Start-up errors exit 1 like the original's getopt and die() paths; a command that cannot be
 * run exits 127/126 as a shell would.
 */
import type { ByteString } from '@inotifykit/event-core';
import { InotifyKitError, toText } from '@inotifykit/event-core';

/** Bad command line: unknown option, missing argument, bad count, no directory. */
export class UsageError extends InotifyKitError {}

/** A directory to watch is missing, not a directory, or cannot be watched. */
export class DirectoryError extends InotifyKitError {
  constructor(
    readonly path: ByteString,
    readonly reason: string,
  ) {
    super(`cannot watch '${toText(path)}': ${reason}`);
  }
}

/** A `--file` list could not be read. */
export class DirectoryListError extends InotifyKitError {
  constructor(
    readonly path: ByteString,
    readonly reason: string,
  ) {
    super(`cannot read directory list '${toText(path)}': ${reason}`);
  }
}

/** The command given to `-e` is not on PATH (exit 127) or not executable (exit 126). */
export class CommandError extends InotifyKitError {
  override readonly exitCode: number;
  constructor(
    readonly command: ByteString,
    reason: 'not-found' | 'not-executable',
  ) {
    super(
      reason === 'not-found'
        ? `${toText(command)}: command not found`
        : `${toText(command)}: Permission denied`,
      // A whole shell line given as one word is the likely mistake; say how to ask for a shell.
      /[\s;|&$<>()`'"*?]/.test(command)
        ? "The command is run without a shell; for shell syntax use: -e sh -c '...' sh {}"
        : undefined,
    );
    this.exitCode = reason === 'not-found' ? 127 : 126;
  }
}
