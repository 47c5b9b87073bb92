/**
 * Output goes straight to the file descriptors with writeSync: every line is out before the next event is
 * handled or the process exits, as with inotifywait's fflush after each event.
 */
import { writeSync } from 'node:fs';
import { toBuffer, type ByteString } from '../bytes.js';
import { asBytes } from '@inotifykit/event-core';

/** Exit status of a process killed by SIGPIPE (128 + 13), what inotifywait shows when its reader goes away. */
const EXIT_SIGPIPE = 141;

function writeAll(fd: number, data: ByteString | Buffer | string, encoding: 'latin1' | 'utf8'): void {
  const buf = typeof data === 'string' ? (encoding === 'latin1' ? toBuffer(asBytes(data)) : Buffer.from(data, 'utf8')) : data;
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(EXIT_SIGPIPE);
      // A non-blocking pipe that is full: retry until the reader catches up.
      if (code !== 'EAGAIN') throw err;
    }
  }
}

/** Bytes (a byte string or a Buffer) to stdout, exactly. */
export function writeOut(data: ByteString | Buffer): void {
  writeAll(1, data, 'latin1');
}

/** A message (UTF-8 text) to stderr, with a newline. */
export function writeErr(message: string): void {
  writeAll(2, message + '\n', 'utf8');
}
