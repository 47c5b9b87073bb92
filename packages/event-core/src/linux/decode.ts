/**
 * Kernel bytes → records. `struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }`,
 * little-endian on every Linux this runs on; `name` is NUL-padded to `len`.
 */
import type { RawEvent } from '../event.js';

export const EVENT_HEADER_SIZE = 16;

export function decodeEvents(buf: Buffer, length: number): RawEvent[] {
  const records: RawEvent[] = [];
  let offset = 0;
  while (offset + EVENT_HEADER_SIZE <= length) {
    const wd = buf.readInt32LE(offset);
    const mask = buf.readUInt32LE(offset + 4);
    const cookie = buf.readUInt32LE(offset + 8);
    const len = buf.readUInt32LE(offset + 12);
    const start = offset + EVENT_HEADER_SIZE;
    let name = '';
    if (len > 0) {
      const nul = buf.indexOf(0, start);
      const end = nul === -1 || nul > start + len ? start + len : nul;
      name = buf.toString('latin1', start, end);
    }
    records.push({ wd, mask, cookie, name });
    offset = start + len;
  }
  return records;
}
