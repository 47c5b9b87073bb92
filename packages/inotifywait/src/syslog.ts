/**
 * syslog(3) through libc, as inotifywait uses it: `openlog(ident, LOG_CONS|LOG_PID|LOG_NDELAY, LOG_DAEMON)`
 * and LOG_INFO messages. Loaded only for `-s`/`-d`.
 */
import { createRequire } from 'node:module';
import type { ByteString } from '@inotifykit/event-core/bytes';
import { toCString } from '@inotifykit/event-core/bytes';

const require = createRequire(import.meta.url);

const LOG_PID = 0x01;
const LOG_CONS = 0x02;
const LOG_NDELAY = 0x08;
const LOG_DAEMON = 3 << 3;
const LOG_INFO = 6;

interface KoffiFunction {
  (...args: unknown[]): unknown;
}
interface Koffi {
  load(name: string): { func(signature: string): KoffiFunction };
}

/** glibc keeps the ident pointer: the buffer must live as long as the process. */
let identBuffer: Buffer | undefined;

export function openSyslog(ident: string): (message: ByteString) => void {
  const koffi = require('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  const openlog = lib.func('void openlog(void *ident, int option, int facility)');
  const syslog = lib.func('void syslog(int priority, const char *format, ...)');
  identBuffer = toCString(ident);
  openlog(identBuffer, LOG_CONS | LOG_PID | LOG_NDELAY, LOG_DAEMON);
  // The message is passed through "%s" as raw bytes, so a path with '%' or invalid UTF-8 is logged as is.
  return (message) => syslog(LOG_INFO, '%s', 'void *', toCString(message));
}
