/**
 * `-e close_write` with `--since`: a file created while nothing watched was closed after writing too, so
 * it is replayed; the engine's replayMask gives close_write only the MODIFY kind, and a script that syncs
 * on close_write (the seed's rsync loop) would miss every new file. Until the engine covers it, the
 * session is asked for CREATE as well, and the replay turns those into what close_write asks for: a new
 * file as MODIFY (the kind close_write replays), a new directory not at all (directories are never
 * closed after writing).
 */
import type { InotifyEvent } from '@inotifykit/event-core/event';
import type { EventMask } from '@inotifykit/event-core/mask';
import { IN_CLOSE_WRITE, IN_CREATE, IN_ISDIR, IN_MODIFY, IN_MOVED_TO } from '@inotifykit/event-core/mask';

/** Whether the created-file workaround applies: close_write asked for, the create kinds not. */
function needsCreated(events: EventMask): boolean {
  return (events & IN_CLOSE_WRITE) !== 0 && (events & (IN_CREATE | IN_MOVED_TO)) === 0;
}

/** The `requested` mask to give openSince for this `-e` mask (0: all). */
export function sinceRequest(events: EventMask): EventMask {
  return needsCreated(events) ? (events | IN_CREATE) >>> 0 : events;
}

/** The replayed events as the `-e` mask asks for them (see the module comment). */
export function replayAsAsked<E extends InotifyEvent>(events: E[], asked: EventMask): E[] {
  if (!needsCreated(asked)) return events;
  const out: E[] = [];
  for (const e of events) {
    if ((e.mask & IN_CREATE) === 0) out.push(e);
    else if ((e.mask & IN_ISDIR) === 0) out.push({ ...e, mask: IN_MODIFY });
  }
  return out;
}
