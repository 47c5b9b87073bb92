/**
 * Output goes straight to the file descriptors with writeSync: every line is out before the next event is
 * handled or the process exits, as with inotifywait's fflush after each event.
 */
import { writeSync } from 'node:fs';
import { strerror } from '@inotifykit/sys';
import { toBuffer, type ByteString } from '../bytes.js';
import { asBytes } from '@inotifykit/event-core';

/** Exit status of a process killed by SIGPIPE (128 + 13), what inotifywait shows when its reader goes away. */
const EXIT_SIGPIPE = 141;
/** pgrep's status after a failed write of its output. */
const EXIT_WRITE_ERROR = 1;

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
      if (code === 'EAGAIN') continue;
      // Anything else (a full disk, /dev/full, a closed stdout): pgrep's one line and exit status.
      if (fd !== 2) writeErr(`procwatch: write error: ${strerror(Math.abs((err as NodeJS.ErrnoException).errno ?? 5))}`);
      process.exit(EXIT_WRITE_ERROR);
    }
  }
}

/**
 * Bytes (a byte string or a Buffer) to stdout, exactly. A stdout closed at start (`>&-`) is not seen: Node
 * reopens it on /dev/null before any code runs, the same way a parent's `stdio: 'ignore'` would give it.
 */
export function writeOut(data: ByteString | Buffer): void {
  writeAll(1, data, 'latin1');
}

/** A message (UTF-8 text) to stderr, with a newline. */
export function writeErr(message: string): void {
  writeAll(2, message + '\n', 'utf8');
}
