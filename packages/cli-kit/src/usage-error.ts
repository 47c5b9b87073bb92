/**
 * A command-line problem: the exact lines inotify-tools prints for it (without the final newline) and the
 * exit status. Lines are byte strings (they may quote an argument the user typed).
 */
import { InotifyKitError } from '@inotifykit/event-core';
import type { ByteString } from '@inotifykit/event-core';

export class UsageError extends InotifyKitError {
  constructor(
    /** What to print on stderr, newline-separated, no trailing newline. */
    readonly text: ByteString,
    exitCode = 1,
  ) {
    super(Buffer.from(text, 'latin1').toString('utf8'), undefined, { exitCode });
  }
  override get messageBytes(): ByteString {
    return this.text;
  }
}
