/**
 * Kernel bytes → records. `struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }`,
 * in host byte order; the kernel pads `len` to a multiple of 16 with NULs, so every record starts 4-byte
 * aligned and the header can be read through a Uint32Array view (much cheaper than readUInt32LE).
 */
import type { RawEvent } from '../event.js';

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
    const buf = this.bytes;
    const words = this.#words;
    const records: RawEvent[] = [];
    let offset = 0;
    while (offset + EVENT_HEADER_SIZE <= length) {
      const w = offset >>> 2;
      const wd = words[w]! | 0;
      const mask = words[w + 1]!;
      const cookie = words[w + 2]!;
      const len = words[w + 3]!;
      const start = offset + EVENT_HEADER_SIZE;
      let name = '';
      if (len > 0) {
        let end = start + len;
        while (end > start && buf[end - 1] === 0) end--; // strip the NUL padding
        name = buf.latin1Slice(start, end);
      }
      records.push({ wd, mask, cookie, name });
      offset = start + len;
    }
    return records;
  }
}

declare module 'node:buffer' {
  interface Buffer {
    /** Node's internal fast path behind toString('latin1', start, end), without its argument checks. */
    latin1Slice(start: number, end: number): string;
  }
}

/** Decodes one read()'s worth from any buffer (allocates a view; the backend reuses an EventBuffer). */
export function decodeEvents(buf: Buffer, length: number): RawEvent[] {
  const copy = new EventBuffer(Math.max(16, (length + 3) & ~3));
  buf.copy(copy.bytes, 0, 0, length);
  return copy.decode(length);
}
