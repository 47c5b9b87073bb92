/**
 * Starting the Watcher for `--since` (the same as inotifywatch's run/since-start.ts; a candidate for
 * event-core's parcel/ module). The session's first snapshot walk opens every watched directory,
 * and with inotify each one queues OPEN/ACCESS/CLOSE_NOWRITE events (about eight per directory with -r).
 * Left in the kernel queue until the walk ends, two thousand directories overflow it (16384 events by
 * default): a Q_OVERFLOW, and a run whose state is never saved at exit. So the Watcher reads
 * from the start, and what it reads is held here until the session's batch handler exists.
 *
 * While held, directory reads are dropped as the walk's echoes: the session does the same for events that
 * reach it during a walk, but only recognises them for 0.1 s after it, and a busy reader can lag more.
 */
import type { InotifyEvent, Watcher, WatcherHandlers } from '@inotifykit/event-core';
import type { BatchInfo } from '@inotifykit/event-core/event';
import { IN_ACCESS, IN_CLOSE_NOWRITE, IN_ISDIR, IN_OPEN } from '@inotifykit/event-core/mask';
import type { BatchHandler, ReplayedEvent, SinceSession } from '@inotifykit/event-core/parcel/index';

export interface SinceHandlers extends Omit<WatcherHandlers, 'batch'> {
  replay(events: ReplayedEvent[]): void;
  live: BatchHandler;
}

/** What reading a directory causes (the session's own rule, parcel/delivery.ts). */
const DIR_READ = IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE;

function isDirRead(event: InotifyEvent): boolean {
  return (event.mask & IN_ISDIR) !== 0 && (event.mask & ~(DIR_READ | IN_ISDIR)) === 0;
}

export async function startWithSince(watcher: Watcher, since: SinceSession, handlers: SinceHandlers): Promise<void> {
  const held: Array<[InotifyEvent[], BatchInfo]> = [];
  let deliver: BatchHandler | undefined;
  watcher.start({
    batch: (events, info) => (deliver ? deliver(events, info) : void held.push([events.filter((e) => !isDirRead(e)), info])),
    warning: handlers.warning,
    error: handlers.error,
  });
  const wrapped = await since.start(watcher, { replay: handlers.replay, live: handlers.live });
  watcher.flush(); // what the walk left in the kernel queue is held (and sifted) too
  // In order, batch by batch; what arrives meanwhile joins the queue, and then goes straight through.
  for (let next = held.shift(); next; next = held.shift()) await wrapped(...next);
  deliver = wrapped;
}
