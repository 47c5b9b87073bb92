/** Where the text goes: diagnostics straight to fd 2 (unbuffered, like stdio's stderr), tables via a sink. */
import { writeSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';
import { OutputSink } from '@inotifykit/cli-kit';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes a byte string to stderr at once; a full non-blocking pipe is waited out, a vanished reader ignored. */
export function writeErr(text: ByteString): void {
  let rest = toBuffer(text);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(2, rest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/**
 * stdout. inotifywatch writes only when it prints a table, so a reader that goes away is noticed at the
 * next write (EPIPE → death by SIGPIPE, as for the C tool), not watched for.
 */
export function openStdout(): OutputSink {
  return new OutputSink(1, { watchReader: false });
}
