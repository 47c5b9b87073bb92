/**
 * Kernel bytes → records. `struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }`,
 * in host byte order; the kernel pads `len` to a multiple of 16 with NULs, so every record starts 4-byte
 * aligned and the header can be read through a Uint32Array view (much cheaper than readUInt32LE).
 */
import type { RawEvent } from '../../model/event.js';
import { asBytes } from '../../model/bytes.js';
import { asMask } from '../../model/mask.js';

export const EVENT_HEADER_SIZE = 16;

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
    const records: RawEvent[] = [];
    this.decodeRange(0, length, records);
    return records;
  }

  /**
   * Decodes the whole records in [start, end) into `records`, stopping at the first record that starts
   * at or after `start + budget` bytes; returns where it stopped.
   */
  decodeRange(start: number, end: number, records: RawEvent[], budget = end - start): number {
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
      records.push({ wd, mask, cookie, name });
      offset = nameStart + len;
    }
    return offset;
  }
}

declare module 'node:buffer' {
  interface Buffer {
    /** Node's internal fast path behind toString('latin1', start, end), without its argument checks. */
    latin1Slice(start: number, end: number): string;
  }
}

