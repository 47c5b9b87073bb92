/**
 * Kernel bytes → records. `struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }`,
 * in host byte order; the kernel pads `len` to a multiple of 16 with NULs, so every record starts 4-byte
 * aligned and the header can be read through a Uint32Array view (much cheaper than readUInt32LE).
 */
import type { RawEvent } from '../../model/event.js';
import { asBytes } from '../../model/bytes.js';
import { asMask } from '../../model/mask.js';

export const EVENT_HEADER_SIZE = 16;
const NO_PATH = asBytes('');
/**
 * The time a record has until the engine sets it: not a number, so that V8 keeps the field tagged and the
 * engine's store shares the batch's one time value (a number here made it a per-object double box).
 */
const UNSET_TIME = undefined as unknown as number;

/** A reusable read buffer with a 32-bit view over it. */
export class EventBuffer {
  readonly bytes: Buffer;
  readonly #words: Uint32Array;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafeSlow(size);
    this.#words = new Uint32Array(this.bytes.buffer, this.bytes.byteOffset, size >>> 2);
  }

  /** Decodes the first `length` bytes (one read()'s worth). Names are copied out as byte strings. */
  decode(length: number): RawEvent[] {
    // Counted first, so that the array is made at its size (growing it by pushes copied it ~2x over).
    const records = new Array<RawEvent>(this.recordsIn(0, length));
    this.#decodeInto(0, length, records, 0, length);
    return records;
  }

  /** How many whole records [start, end) holds. */
  recordsIn(start: number, end: number): number {
    const words = this.#words;
    let n = 0;
    for (let offset = start; offset + EVENT_HEADER_SIZE <= end; n++) offset += EVENT_HEADER_SIZE + words[(offset >>> 2) + 3]!;
    return n;
  }

  /**
   * Decodes the whole records in [start, end) into `records`, stopping at the first record that starts
   * at or after `start + budget` bytes; returns where it stopped.
   */
  decodeRange(start: number, end: number, records: RawEvent[], budget = end - start): number {
    return this.#decodeInto(start, end, records, records.length, budget);
  }

  /** decodeRange, the records going to `records[at]` on. */
  #decodeInto(start: number, end: number, records: RawEvent[], at: number, budget: number): number {
    const buf = this.bytes;
    const words = this.#words;
    const stop = Math.min(end, start + budget);
    let offset = start;
    while (offset < stop && offset + EVENT_HEADER_SIZE <= end) {
      const w = offset >>> 2;
      const wd = words[w]! | 0;
      const mask = asMask(words[w + 1]!);
      const cookie = words[w + 2]!;
      const len = words[w + 3]!;
      const nameStart = offset + EVENT_HEADER_SIZE;
      let name = asBytes('');
      if (len > 0) {
        let nameEnd = nameStart + len;
        while (nameEnd > nameStart && buf[nameEnd - 1] === 0) nameEnd--; // strip the NUL padding
        name = asBytes(buf.latin1Slice(nameStart, nameEnd));
      }
      // An event's fields already (Backend.recordsAreEvents): the engine fills them in and delivers this object.
      records[at++] = { wd, mask, cookie, name, watchPath: NO_PATH, time: UNSET_TIME, synthetic: false } as RawEvent;
      offset = nameStart + len;
    }
    return offset;
  }

  /**
   * The wd and mask of each whole record in [start, end) into `into`, for a consumer that needs no names;
   * -1 (and nothing useful in `into`) as soon as a record has a bit of `refuse`.
   */
  plainHeaders(start: number, end: number, refuse: number, into: PlainRecords): number {
    const words = this.#words;
    const { wds, masks } = into;
    let n = 0;
    for (let offset = start; offset + EVENT_HEADER_SIZE <= end; n++) {
      const w = offset >>> 2;
      const mask = words[w + 1]!;
      if ((mask & refuse) !== 0 || n === wds.length) return -1;
      wds[n] = words[w]! | 0;
      masks[n] = mask;
      offset += EVENT_HEADER_SIZE + words[w + 3]!;
    }
    return n;
  }

  /** Where the whole records in [start, end) stop, taking no record that starts at `start + budget` or later. */
  recordsEnd(start: number, end: number, budget: number): number {
    const words = this.#words;
    const stop = Math.min(end, start + budget);
    let offset = start;
    while (offset < stop && offset + EVENT_HEADER_SIZE <= end) offset += EVENT_HEADER_SIZE + words[(offset >>> 2) + 3]!;
    return offset;
  }
}

/**
 * Room for the headers of one batch of plain records (see {@link EventBuffer.plainHeaders}): a 256 KiB read
 * holds at most 16,384 records of 16 bytes.
 */
export class PlainRecords {
  readonly wds: Int32Array;
  readonly masks: Uint32Array;
  constructor(capacity: number) {
    this.wds = new Int32Array(capacity);
    this.masks = new Uint32Array(capacity);
  }
}

declare module 'node:buffer' {
  interface Buffer {
    /** Node's internal fast path behind toString('latin1', start, end), without its argument checks. */
    latin1Slice(start: number, end: number): string;
  }
}

