/**
 * Process names and command lines are bytes, carried as event-core's "byte strings" (one char per byte,
 * latin1): lossless for any byte sequence, cheap to match with a RegExp, exact on output.
 */
export type { ByteString } from '@inotifykit/event-core';
export { fromText, toBuffer, toText } from '@inotifykit/event-core';
