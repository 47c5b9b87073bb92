/**
 * `--json`: one object per line in the schema every tool shares (docs/json.md): `time` (RFC 3339, µs),
 * `events` (lower-case names), `path` (`%w%f`), `watch` (`%w`), `name` (`%f`), `is_dir`, `cookie`; bytes that
 * are not valid UTF-8 also as `<key>_base64`. `synthetic` marks entries reported from a new directory's
 * listing, `replayed` (with `--since`) changes made while nothing watched. A queue overflow is
 * `{"time":…,"events":["q_overflow"]}`.
 */
import type { ByteString, InotifyEvent } from '@inotifykit/event-core';
import { fileEventRecord, jsonLine, jsonTime } from '@inotifykit/event-core';
import type { ReplayedEvent } from '@inotifykit/event-core/since';

export function jsonEventFormatter(): (event: InotifyEvent) => ByteString {
  return (e) => {
    const record = fileEventRecord(e);
    // `--since`: a change made while nothing watched (the session marks them).
    if ((e as Partial<ReplayedEvent>).replayed) record['replayed'] = true;
    return jsonLine(record);
  };
}

export function jsonReadyLine(watches: number): string {
  return jsonLine({ time: jsonTime(Date.now()), ready: true, watches });
}
