/**
 * A batch of engine events → what dnotify acts on: the directories that changed (one per matching event,
 * in order), whether the kernel queue overflowed, and which watches went away.
 */
import type { ByteString, EventMask, InotifyEvent } from '@inotifykit/event-core';
import { IN_IGNORED, IN_Q_OVERFLOW } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

export interface BatchTriggers {
  /** `{}` for each triggering event, in order (repeats kept: coalescing is the scheduler's job). */
  readonly directories: ByteString[];
  /** Events were lost: the kernel queue overflowed. */
  readonly overflow: boolean;
  /** Directories whose watch ended (deleted, unmounted, moved out of a recursive tree). */
  readonly gone: ByteString[];
}

/**
 * The directory `{}` stands for: the watch path without the `/` the engine appends (`%w` is `dir/`; the
 * original's `{}` is `dir`). The root stays `/`.
 */
export function directoryOf(watchPath: ByteString): ByteString {
  return watchPath.length > 1 && watchPath.endsWith('/') ? asBytes(watchPath.slice(0, -1)) : watchPath;
}

export function triggersOf(events: readonly InotifyEvent[], triggerMask: EventMask): BatchTriggers {
  const directories: ByteString[] = [];
  const gone: ByteString[] = [];
  let overflow = false;
  for (const event of events) {
    if (event.mask & IN_Q_OVERFLOW) overflow = true;
    else if (event.mask & triggerMask) directories.push(directoryOf(event.watchPath));
    else if (event.mask & IN_IGNORED) gone.push(directoryOf(event.watchPath));
  }
  return { directories, overflow, gone };
}
