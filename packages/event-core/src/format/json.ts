/**
 * The pieces of the one JSON schema (docs/json.md) that every tool's `--json` shares: the time, the byte
 * fields with their exact `<key>_base64` form, the file-event and overflow records. Tools build their
 * records from these, so the same thing has the same name and spelling everywhere.
 */
import { isUtf8 } from 'node:buffer';
import type { ByteString } from '../model/bytes.js';
import { asBytes, fromText, toBuffer, toText } from '../model/bytes.js';
import { eventNames } from '../model/event-names.js';
import type { InotifyEvent } from '../model/event.js';
import { IN_ISDIR, IN_Q_OVERFLOW } from '../model/mask.js';

export type JsonRecord = Record<string, unknown>;

/** RFC 3339 in UTC with microseconds, from milliseconds since the epoch: `2026-12-01T21:17:53.123456Z`. */
export function jsonTime(ms: number): string {
  const us = Math.round(ms * 1000);
  const iso = new Date(Math.floor(us / 1000)).toISOString(); // …:53.123Z
  return `${iso.slice(0, -1)}${String(((us % 1000) + 1000) % 1000).padStart(3, '0')}Z`;
}

const ASCII = /^[\x00-\x7f]*$/;

/** True when the bytes are valid UTF-8, i.e. a JSON string can carry them as they are. */
export function isUtf8Bytes(bytes: ByteString): boolean {
  return ASCII.test(bytes) || isUtf8(toBuffer(bytes));
}

/** Sets `key` to the bytes as text and, when they are not valid UTF-8, `<key>_base64` to their exact form. */
export function putBytes(record: JsonRecord, key: string, bytes: ByteString): void {
  if (isUtf8Bytes(bytes)) {
    record[key] = toText(bytes);
  } else {
    const buf = toBuffer(bytes);
    record[key] = buf.toString('utf8');
    record[`${key}_base64`] = buf.toString('base64');
  }
}

/** The same for a list (`argv`): `<key>_base64` repeats the whole list when any element needs it. */
export function putBytesList(record: JsonRecord, key: string, list: readonly ByteString[]): void {
  record[key] = list.map((bytes) => toBuffer(bytes).toString('utf8'));
  if (!list.every(isUtf8Bytes)) record[`${key}_base64`] = list.map((bytes) => toBuffer(bytes).toString('base64'));
}

/** The overflow record: the kernel dropped events; nothing more is known. */
export function overflowRecord(time: number): JsonRecord {
  return { time: jsonTime(time), events: ['q_overflow'] };
}

/**
 * True when the event's subject is a directory: the kernel's IN_ISDIR, or an event on a watched directory
 * itself (DELETE_SELF, MOVE_SELF carry no IN_ISDIR; the engine spells directory watches with a final `/`).
 */
export function isDirEvent(event: InotifyEvent): boolean {
  return (event.mask & IN_ISDIR) !== 0 || (event.name === '' && event.watchPath.endsWith('/'));
}

/** A file event as the schema's `fileEvent` (or `overflow`) record. */
export function fileEventRecord(event: InotifyEvent): JsonRecord {
  if (event.mask & IN_Q_OVERFLOW) return overflowRecord(event.time);
  const record: JsonRecord = { time: jsonTime(event.time), events: eventNames(event.mask) };
  putBytes(record, 'path', asBytes(event.watchPath + event.name));
  putBytes(record, 'watch', event.watchPath);
  putBytes(record, 'name', event.name);
  record['is_dir'] = isDirEvent(event);
  record['cookie'] = event.cookie;
  if (event.synthetic) record['synthetic'] = true;
  // Who caused it (fanotify): pid always, uid and comm while the process could still be read.
  if (event.pid !== undefined) record['pid'] = event.pid;
  if (event.uid !== undefined) record['uid'] = event.uid;
  if (event.comm !== undefined) putBytes(record, 'comm', event.comm);
  return record;
}

/** One NDJSON line as a byte string (the sinks write byte strings; JSON text is UTF-8). */
export function jsonLine(record: JsonRecord): ByteString {
  return fromText(JSON.stringify(record) + '\n');
}
