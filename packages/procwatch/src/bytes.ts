/**
 * Process names and command lines are bytes, carried as event-core's "byte strings" (one char per byte,
 * latin1): lossless for any byte sequence, cheap to match with a RegExp, exact on output.
 */
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';

export type { ByteString } from '@inotifykit/event-core';
export { fromText, toBuffer, toText } from '@inotifykit/event-core';

/** True when the bytes are valid UTF-8 (so JSON can carry them as a plain string without loss). */
export function isUtf8(bytes: ByteString): boolean {
   
  if (/^[\x00-\x7f]*$/.test(bytes)) return true;
  const buf = toBuffer(bytes);
  return Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}
