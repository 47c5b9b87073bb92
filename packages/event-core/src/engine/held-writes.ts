/**
 * Synthetic events of a new directory's rescan that cannot come out yet, because the kernel may still
 * report the same thing itself (the watch exists now):
 *
 * - a MODIFY of a file that a writer held open when it was found: a write() makes the file's new size
 *   visible before the kernel queues its MODIFY, so a write under way while the watch was added may
 *   still bring the kernel's. Ours waits until the kernel's MODIFY comes (ours is dropped), or its
 *   CLOSE_WRITE, DELETE or move away (ours comes first), or no writer holds the file any more and the
 *   queue has been read past that moment, or HOLD_MS have passed (a writer that keeps the file open);
 * - a CLOSE_WRITE where the kernel would not say whether a writer holds the file: it waits until the
 *   queue is drained, and the kernel's own, if it comes meanwhile, stands for it.
 */
import type { ByteString } from '../model/bytes.js';
import type { InotifyEvent, RawEvent } from '../model/event.js';
import { IN_CLOSE_WRITE, IN_DELETE, IN_MODIFY, IN_MOVED_FROM } from '../model/mask.js';
import { openForWriting } from '../backends/inotify/open-writers.js';
import { monotonicMs } from './clock.js';

/** How long a MODIFY waits for a writer that keeps its file open. */
const HOLD_MS = 100;
/** How often the writers of held MODIFYs are looked at again (Watcher). */
export const RECHECK_MS = 10;

interface HeldModify {
  readonly event: InotifyEvent;
  readonly path: ByteString;
  readonly since: number;
}

export class HeldWrites {
  /** By `wd\0name`. */
  readonly #modifies = new Map<string, HeldModify>();
  readonly #closes = new Map<string, InotifyEvent>();

  get waitingForWriters(): boolean {
    return this.#modifies.size > 0;
  }

  /** Anything is held: settle() must see every kernel record (the engine's tally path stands aside). */
  get holding(): boolean {
    return this.#modifies.size > 0 || this.#closes.size > 0;
  }

  /** Holds `event` (a MODIFY of the file at `path`) until its writer is done with it. */
  holdModify(key: string, event: InotifyEvent, path: ByteString): void {
    this.#modifies.set(key, { event, path, since: monotonicMs() });
  }

  /** Holds `event` (a CLOSE_WRITE) until the queue is drained. */
  holdClose(key: string, event: InotifyEvent): void {
    this.#closes.set(key, event);
  }

  /**
   * A kernel record: the kernel's own MODIFY or CLOSE_WRITE stands for ours; a DELETE or move away (and,
   * for a MODIFY, the close) lets ours out first, into `out`, so the order stays the file's life's order.
   */
  settle(record: RawEvent, out: InotifyEvent[]): void {
    if (this.#modifies.size === 0 && this.#closes.size === 0) return;
    const key = `${record.wd}\0${record.name}`;
    const modify = this.#modifies.get(key);
    if (modify) {
      if (record.mask & IN_MODIFY) this.#modifies.delete(key);
      else if (record.mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM)) {
        this.#modifies.delete(key);
        out.push(modify.event);
      }
    }
    const close = this.#closes.get(key);
    if (close) {
      if (record.mask & IN_CLOSE_WRITE) this.#closes.delete(key);
      else if (record.mask & (IN_DELETE | IN_MOVED_FROM)) {
        this.#closes.delete(key);
        out.push(close);
      }
    }
  }

  /** The queue is drained: the held CLOSE_WRITEs are due. */
  takeCloses(): InotifyEvent[] {
    const due = [...this.#closes.values()];
    this.#closes.clear();
    return due;
  }

  /**
   * Looks at the writers of the held MODIFYs: the keys whose writer is gone (or that waited HOLD_MS).
   * Their kernel records, if any, are queued by now: read the queue ahead and handle it before release().
   */
  due(): string[] {
    const now = monotonicMs();
    const keys: string[] = [];
    for (const [key, held] of this.#modifies) {
      if (now - held.since >= HOLD_MS || openForWriting(held.path) !== true) keys.push(key);
    }
    return keys;
  }

  /** The due MODIFYs that nothing the kernel said meanwhile has settled come out, into `out`. */
  release(keys: string[], out: InotifyEvent[]): void {
    for (const key of keys) {
      const held = this.#modifies.get(key);
      if (!held) continue;
      this.#modifies.delete(key);
      out.push(held.event);
    }
  }
}
