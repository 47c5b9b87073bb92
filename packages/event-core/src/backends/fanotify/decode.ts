/**
 * Kernel bytes → fanotify events. Each event is `struct fanotify_event_metadata` (24 bytes: event_len,
 * vers, metadata_len, the 64-bit mask, fd, pid) followed by info records, each with a header
 * { u8 info_type; u8 pad; u16 len; }. The fid records carry the fsid (8 bytes), a `struct file_handle`
 * and, for the *_DFID_NAME types, a NUL-terminated name. With fid reporting no event carries an fd.
 */
import type { ByteString } from '../../model/bytes.js';
import { asBytes } from '../../model/bytes.js';
import {
  FAN_EVENT_INFO_TYPE_DFID, FAN_EVENT_INFO_TYPE_DFID_NAME, FAN_EVENT_INFO_TYPE_FID, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME,
  FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, FAN_EVENT_METADATA_LEN, FANOTIFY_METADATA_VERSION, close,
} from '@inotifykit/sys';

/** One object an event names: a directory (with an entry name) or the object itself. */
export interface FidRecord {
  /**
   * The 8 fsid bytes and the `struct file_handle` as a byte string: equal keys are the same object (a Map
   * key). Only a path lookup that misses the cache needs the parts (fidParts); a burst needs none.
   */
  readonly key: ByteString;
  /** The entry name for DFID_NAME records ('.' for an event on the directory itself); '' otherwise. */
  readonly name: ByteString;
}

/** The fsid (which file system, for its mount fd) and the handle bytes (for open_by_handle_at) of a key. */
export function fidParts(key: ByteString): { fsid: ByteString; handle: Buffer } {
  return { fsid: asBytes(key.slice(0, FSID_BYTES)), handle: Buffer.from(key.slice(FSID_BYTES), 'latin1') };
}

export interface FanEvent {
  /** The kernel's mask, low 32 bits (every bit the toolkit asks for is there). */
  readonly mask: number;
  readonly pid: number;
  /** Directory and name (DFID_NAME), or the directory alone (DFID). */
  readonly dir: FidRecord | undefined;
  /** The object itself (FID). */
  readonly fid: FidRecord | undefined;
  /** FAN_RENAME: where the entry was and where it is now. */
  readonly oldDir: FidRecord | undefined;
  readonly newDir: FidRecord | undefined;
}

/** Decodes the first `length` bytes of one read. */
export function decodeEvents(buf: Buffer, length: number): FanEvent[] {
  const events: FanEvent[] = [];
  let offset = 0;
  while (offset + FAN_EVENT_METADATA_LEN <= length) {
    const eventLen = buf.readUInt32LE(offset);
    if (eventLen < FAN_EVENT_METADATA_LEN || offset + eventLen > length) break;
    if (buf[offset + 4] !== FANOTIFY_METADATA_VERSION) break; // a kernel speaking another layout: stop, don't guess
    const metaLen = buf.readUInt16LE(offset + 6);
    const mask = buf.readUInt32LE(offset + 8);
    const fd = buf.readInt32LE(offset + 16);
    if (fd >= 0) close(fd); // only without fid reporting; never kept
    let dir: FidRecord | undefined;
    let fid: FidRecord | undefined;
    let oldDir: FidRecord | undefined;
    let newDir: FidRecord | undefined;
    for (let at = offset + metaLen, end = offset + eventLen; at + 4 <= end; ) {
      const type = buf[at]!;
      const len = buf.readUInt16LE(at + 2);
      if (len < 4 || at + len > end) break;
      switch (type) {
        case FAN_EVENT_INFO_TYPE_DFID_NAME:
        case FAN_EVENT_INFO_TYPE_DFID:
          dir = fidRecord(buf, at, len, type === FAN_EVENT_INFO_TYPE_DFID_NAME);
          break;
        case FAN_EVENT_INFO_TYPE_FID:
          fid = fidRecord(buf, at, len, false);
          break;
        case FAN_EVENT_INFO_TYPE_OLD_DFID_NAME:
          oldDir = fidRecord(buf, at, len, true);
          break;
        case FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
          newDir = fidRecord(buf, at, len, true);
          break;
        default:
          break; // pidfd, error, range, mount records: not asked for
      }
      at += len;
    }
    events.push({ mask, pid: buf.readInt32LE(offset + 20), dir, fid, oldDir, newDir });
    offset += eventLen;
  }
  return events;
}

const FSID_BYTES = 8;
const NO_NAME = asBytes('');

/** A fid record at `at` (its header included) of `len` bytes. */
function fidRecord(buf: Buffer, at: number, len: number, named: boolean): FidRecord {
  const handleAt = at + 4 + FSID_BYTES;
  const handleEnd = Math.min(handleAt + 8 + buf.readUInt32LE(handleAt), at + len);
  let name = NO_NAME;
  if (named) {
    const nul = buf.indexOf(0, handleEnd);
    name = asBytes(buf.latin1Slice(handleEnd, nul < 0 || nul > at + len ? at + len : nul));
  }
  return { key: asBytes(buf.latin1Slice(at + 4, handleEnd)), name };
}
