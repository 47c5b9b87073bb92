/**
 * Starting the Watcher for `--since` (both CLIs). The session's first snapshot walk opens every watched directory,
 * and with inotify each one queues OPEN/ACCESS/CLOSE_NOWRITE events (about eight per directory with -r).
 * Left in the kernel queue until the walk ends, two thousand directories overflow it (16384 events by
 * default): an overflow, and a run whose state is never saved at exit. So the Watcher reads
 * from the start, and what it reads is held here until the session's batch handler exists.
 *
 * While held, directory reads are dropped as the walk's echoes (the session's own rule, delivery.ts).
 */
import type { BatchInfo, InotifyEvent } from '../model/event.js';
import type { Watcher, WatcherHandlers } from '../engine/watcher.js';
import type { BatchHandler } from './delivery.js';
import { isDirRead } from './delivery.js';
import type { ReplayedEvent } from './replay.js';
import type { SinceSession } from './since.js';

export interface SinceHandlers extends Omit<WatcherHandlers, 'batch'> {
  replay(events: ReplayedEvent[]): void;
  live: BatchHandler;
}

/**
 * Starts `watcher` for a `--since` session: reads from the start, holds (and sifts) what arrives until the
 * replay is out, then hands everything, in order, to the session's live handler.
 */
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
