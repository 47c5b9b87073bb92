/**
 * Joins a moved_from and the moved_to with the same cookie into one `move` event. The kernel queues the two
 * halves together, so they come in one read, except when a read ends between them: a moved_from that ends
 * a batch is held until the next batch, or until the engine is idle (then it is final: moved out of sight).
 */
import type { FileEvent, OverflowEvent, WatchEvent } from './watch-event.js';
import { moveEvent } from './watch-event.js';

export class MovePairing {
  #held: FileEvent | undefined;

  /** One batch, in order, with the pairs joined. */
  pair(batch: readonly (FileEvent | OverflowEvent)[]): WatchEvent[] {
    const events = this.#held ? [this.#held, ...batch] : batch;
    this.#held = undefined;
    const out: WatchEvent[] = [];
    const open = new Map<number, number>(); // cookie → index in out of its moved_from
    for (const event of events) {
      if (event.type === 'moved_from' && event.cookie !== 0) {
        open.set(event.cookie, out.length);
      } else if (event.type === 'moved_to' && event.cookie !== 0) {
        const at = open.get(event.cookie);
        if (at !== undefined) {
          open.delete(event.cookie);
          out[at] = moveEvent(out[at] as FileEvent, event);
          continue;
        }
      }
      out.push(event);
    }
    const last = out.at(-1);
    if (last?.type === 'moved_from' && open.get(last.cookie) === out.length - 1) this.#held = out.pop() as FileEvent;
    return out;
  }

  /** The held half, now final (the engine read everything queued). */
  flush(): FileEvent[] {
    const held = this.#held;
    this.#held = undefined;
    return held ? [held] : [];
  }
}
