/**
 * `--json`: one object per line, `{"watch","name","events","cookie","time"}`. Names are bytes: a name that
 * is valid UTF-8 is a plain JSON string; any other gets its exact bytes in `name_base64` (and `watch_base64`
 * for the watch path) next to a readable form with U+FFFD, so nothing is lost. `time` is the read time in
 * seconds since the epoch with microseconds; `synthetic` marks entries reported from a new directory's listing,
 * `replayed` (with `--since`) changes made while nothing watched.
 */
import type { ByteString } from '@inotifykit/event-core';
import { fromText } from '@inotifykit/event-core';
import type { InotifyEvent } from '@inotifykit/event-core';
import { maskNames } from '@inotifykit/event-core';
import type { ReplayedEvent } from '@inotifykit/event-core/since';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function field(key: string, bytes: ByteString): string {
   
  if (/^[\x00-\x7f]*$/.test(bytes)) return `"${key}":${JSON.stringify(bytes)}`;
  const buf = Buffer.from(bytes, 'latin1');
  try {
    return `"${key}":${JSON.stringify(strictUtf8.decode(buf))}`;
  } catch {
    return `"${key}":${JSON.stringify(buf.toString('utf8'))},"${key}_base64":"${buf.toString('base64')}"`;
  }
}

export function jsonEventFormatter(): (event: InotifyEvent) => ByteString {
  return (e) => {
    const events = JSON.stringify(maskNames(e.mask));
    const time = (e.time / 1000).toFixed(6);
    const synthetic = e.synthetic ? ',"synthetic":true' : '';
    // `--since`: a change made while nothing watched (the session marks them).
    const replayed = (e as Partial<ReplayedEvent>).replayed ? ',"replayed":true' : '';
    const text = `{${field('watch', e.watchPath)},${field('name', e.name)},"events":${events},"cookie":${e.cookie},"time":${time}${synthetic}${replayed}${processFields(e)}}\n`;
    return fromText(text);
  };
}

/** `pid`, `uid`, `comm` (fanotify): the names of the shared JSON schema (docs/json.md). */
function processFields(e: InotifyEvent): string {
  if (e.pid === undefined) return '';
  return `,"pid":${e.pid}${e.uid === undefined ? '' : `,"uid":${e.uid}`}${e.comm === undefined ? '' : ',' + field('comm', e.comm)}`;
}

export function jsonReadyLine(watches: number): string {
  return `{"ready":true,"watches":${watches}}\n`;
}
