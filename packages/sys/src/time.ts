/**
 * Local time through the C library: `tzset`, `localtime_r` and `strftime(3)`, so a `%T` comes out exactly
 * as inotifywait prints it (every conversion, flag and width of glibc's strftime, the process's TZ with
 * POSIX rule strings such as `CET-1CEST,M3.5.0,M10.5.0/3`).
 */
import { koffi, lazy } from './library.js';

/** The machine's byte order, without loading node:os at every start (~1 ms) for os.endianness(). */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const tzset = lazy<() => void>('void tzset(void)');
const localtime = lazy<(time: Buffer, tm: Buffer) => unknown>('void *localtime_r(void *time, void *tm)');
const strftime = lazy<(out: Buffer, max: number, format: Buffer, tm: Buffer) => number | bigint>(
  'size_t strftime(void *out, size_t max, void *format, void *tm)',
);

/** inotify-tools formats `%T` into a `char[MAX_STRLEN]` and passes `MAX_STRLEN - 1` (4095) as the limit. */
const OUT_LIMIT = 4095;

let ready = false;
let timeBuffer: Buffer;
let tmBuffer: Buffer;
let outBuffer: Buffer;
let timeIs64 = true;

function init(): void {
  // localtime_r need not read TZ (glibc's does so once); tzset makes sure it is the process's TZ.
  tzset();
  timeIs64 = koffi().sizeof('long') === 8; // time_t is a long on Linux
  timeBuffer = Buffer.alloc(8);
  tmBuffer = Buffer.alloc(128); // struct tm is 56 bytes on LP64, 44 on ILP32
  outBuffer = Buffer.alloc(OUT_LIMIT + 1);
  ready = true;
}

/**
 * `strftime(format, localtime_r(seconds))` as bytes (latin1 byte string). `format` is NUL-terminated.
 * glibc returns 0 for an empty result and for one longer than 4094 bytes: both give ''.
 */
export function formatLocalTime(format: Buffer, seconds: number): string {
  if (!ready) init();
  if (timeIs64) {
    if (littleEndian) timeBuffer.writeBigInt64LE(BigInt(seconds), 0);
    else timeBuffer.writeBigInt64BE(BigInt(seconds), 0);
  } else if (littleEndian) timeBuffer.writeInt32LE(seconds, 0);
  else timeBuffer.writeInt32BE(seconds, 0);
  if (!localtime(timeBuffer, tmBuffer)) return '';
  const n = Number(strftime(outBuffer, OUT_LIMIT, format, tmBuffer));
  return outBuffer.toString('latin1', 0, n);
}
