/**
 * Typed errors. Each carries the exit code the CLIs use and, where there is one, the hint a user needs
 * (which sysctl to raise). `message` is the exact inotify-tools wording where inotify-tools has one.
 */
import { readFileSync } from 'node:fs';
import type { ByteString } from './bytes.js';
import { fromText, toText } from './bytes.js';
import { asBytes } from './bytes.js';

export interface ErrorOptions {
  /** Process exit status (default 1). */
  readonly exitCode?: number;
  readonly cause?: unknown;
}

/**
 * The one family of errors every package throws and every CLI reports the same way (cli-kit's
 * `reportError`): the message as bytes, a hint line, an exit code, and the cause.
 */
export class InotifyKitError extends Error {
  /** Process exit status a CLI should use for this error. */
  readonly exitCode: number;
  /** Extra lines for the user (what to do about it), printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = hint;
    this.exitCode = options.exitCode ?? 1;
  }
  /**
   * The message as bytes for stderr: `message` is text (a name that is not UTF-8 shows as U+FFFD there),
   * while errors that name a path give it here exactly as the kernel has it, as inotify-tools prints it.
   */
  get messageBytes(): ByteString {
    return fromText(this.message);
  }
}

/** An OS error with its errno and glibc's text for it (`No such file or directory`). */
export class SystemError extends InotifyKitError {
  constructor(
    message: string,
    readonly errno: number,
    readonly reason: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}

function sysctl(name: string): string {
  try {
    return readFileSync(`/proc/sys/fs/inotify/${name}`, 'latin1').trim();
  } catch {
    return 'unknown';
  }
}

/**
 * A SystemError about one path. Its line is built from the path's bytes: `messageBytes` gives them exactly
 * (as inotify-tools prints them), `message` as text.
 */
export class PathError extends SystemError {
  readonly #line: ByteString;
  constructor(readonly path: ByteString, errno: number, reason: string, line: ByteString, hint?: string) {
    super(toText(line), errno, reason, hint);
    this.#line = line;
  }
  override get messageBytes(): ByteString {
    return this.#line;
  }
}

/** ENOSPC from inotify_add_watch: the per-user watch limit is reached. */
export class WatchLimitError extends PathError {
  constructor(path: ByteString, errno: number, reason: string) {
    super(
      path,
      errno,
      reason,
      asBytes(`Failed to watch ${path}; upper limit on inotify watches reached!`),
      `Please increase the amount of inotify watches allowed per user via \`/proc/sys/fs/inotify/max_user_watches'.`,
    );
  }
  /** The current limit, for messages that go beyond inotify-tools' wording. */
  get currentLimit(): string {
    return sysctl('max_user_watches');
  }
}

/** EMFILE from inotify_init1: the per-user instance limit is reached. */
export class InstanceLimitError extends SystemError {
  constructor(errno: number, reason: string) {
    super(
      `Couldn't initialize inotify: ${reason}`,
      errno,
      reason,
      'Try increasing the value of /proc/sys/fs/inotify/max_user_instances',
    );
  }
  get currentLimit(): string {
    return sysctl('max_user_instances');
  }
}

/** inotify_init1 failed for another reason. */
export class InitError extends SystemError {
  constructor(errno: number, reason: string) {
    super(`Couldn't initialize inotify: ${reason}`, errno, reason);
  }
}

/** inotify_add_watch failed: missing path, permission denied, not a directory, … */
export class WatchError extends PathError {
  constructor(path: ByteString, errno: number, reason: string) {
    super(path, errno, reason, asBytes(`Couldn't watch ${path}: ${fromText(reason)}`));
  }
}

/**
 * A directory created under a recursive watch could not be watched (a warning: the rest goes on). `path`
 * ends with `/`, as in inotify-tools' `Couldn't watch new directory X/: <strerror>`.
 */
export class NewDirWatchError extends PathError {
  constructor(path: ByteString, errno: number, reason: string) {
    super(path, errno, reason, asBytes(`Couldn't watch new directory ${path}: ${fromText(reason)}`));
  }
}

/** A bad include/exclude pattern. */
export class PatternError extends InotifyKitError {
  /** What the regex engine said is wrong; inotify-tools prints only the message, so it is no hint. */
  constructor(readonly kind: 'include' | 'exclude', readonly pattern: string, readonly detail?: string) {
    super(`Error in \`${kind}' regular expression.`);
  }
}

/** glibc's strerror() wording for the errors file watching meets (Node's own messages are libuv's). */
const STRERROR: Readonly<Record<number, string>> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  13: 'Permission denied',
  20: 'Not a directory',
  22: 'Invalid argument',
  24: 'Too many open files',
  28: 'No space left on device',
  36: 'File name too long',
  40: 'Too many levels of symbolic links',
};

export function strerror(errno: number, fallback = `Unknown error ${errno}`): string {
  return STRERROR[errno] ?? fallback;
}

/** What to write on stderr for any error: an InotifyKitError's exact bytes, else the message as UTF-8. */
export function errorBytes(err: unknown): ByteString {
  if (err instanceof InotifyKitError) return err.messageBytes;
  return fromText(err instanceof Error ? err.message : String(err));
}
