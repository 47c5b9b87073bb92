/**
 * The records the engine handles in one go: one read's worth, plus whatever the rescan of a new directory
 * read ahead (the kernel queue up to the end of its listing), handled after them in the kernel's order.
 */
import type { ByteString } from '../model/bytes.js';
import type { RawEvent } from '../model/event.js';
import { IN_CLOSE_WRITE, IN_CREATE, IN_MODIFY, IN_MOVED_TO } from '../model/mask.js';
import type { EventMask } from '../model/mask.js';

/** The kernel events the rescan looks for: an entry's arrival, and the writes that complete it. */
const INDEXED = [IN_CREATE | IN_MOVED_TO, IN_MODIFY, IN_CLOSE_WRITE] as const;

/**
 * Reading ahead stops once a batch holds this many records: under a long burst with new directories (a
 * `cp -r` into the tree) each one would otherwise pull the whole backlog in, and nothing would be written
 * until the burst ends. Past it, the rescan works without knowing what the kernel still has queued.
 */
const READ_AHEAD_LIMIT = 65536;

export class Batch {
  readonly records: RawEvent[];
  readonly #readAhead: (() => RawEvent[]) | undefined;
  /** Per INDEXED kind: `wd\0name` → the last index of such a record; built on first use. */
  #last: Map<string, number>[] | undefined;
  #indexed = 0;

  constructor(records: RawEvent[], readAhead: (() => RawEvent[]) | undefined) {
    this.records = records;
    this.#readAhead = readAhead;
  }

  get length(): number {
    return this.records.length;
  }

  /** True once the batch stopped reading ahead (READ_AHEAD_LIMIT). */
  get full(): boolean {
    return this.records.length >= READ_AHEAD_LIMIT;
  }

  /** Appends everything queued in the kernel right now (unless the batch is full). */
  readAhead(): void {
    if (this.full) return;
    const more = this.#readAhead?.();
    if (more) for (const record of more) this.records.push(record);
  }

  /**
   * True when a kernel record of `kind` (one of CREATE|MOVED_TO, MODIFY, CLOSE_WRITE) for `name` in watch
   * `wd` comes after index `at`: the kernel's own events say it, in their place.
   */
  reportsAfter(kind: EventMask, wd: number, name: ByteString, at: number): boolean {
    const last = (this.#last ??= INDEXED.map(() => new Map()));
    for (; this.#indexed < this.records.length; this.#indexed++) {
      const record = this.records[this.#indexed]!;
      for (let k = 0; k < INDEXED.length; k++) {
        if (record.mask & INDEXED[k]!) last[k]!.set(`${record.wd}\0${record.name}`, this.#indexed);
      }
    }
    const index = last[INDEXED.indexOf(kind as (typeof INDEXED)[number])]?.get(`${wd}\0${name}`);
    return index !== undefined && index > at;
  }
}
