/**
 * syslog(3) as inotifywait uses it: `openlog(ident, LOG_CONS|LOG_PID|LOG_NDELAY, LOG_DAEMON)` and LOG_INFO
 * messages, each passed through "%s" as raw bytes (a path with '%' or invalid UTF-8 is logged as is).
 */
import { lazy } from './library.js';

const LOG_PID = 0x01;
const LOG_CONS = 0x02;
const LOG_NDELAY = 0x08;
const LOG_DAEMON = 3 << 3;
const LOG_INFO = 6;

const openlog = lazy<(ident: Buffer, option: number, facility: number) => void>('void openlog(void *ident, int option, int facility)');

/** glibc keeps the ident pointer: the buffer must live as long as the process. */
let identBuffer: Buffer | undefined;

/** Opens the log under `ident` (NUL-terminated bytes) and returns a writer of LOG_INFO messages. */
export function openSyslog(ident: Buffer): (message: Buffer) => void {
  identBuffer = ident;
  openlog(identBuffer, LOG_CONS | LOG_PID | LOG_NDELAY, LOG_DAEMON);
  // Variadic: declared at the call, so the message goes as a pointer to its NUL-terminated bytes.
  const syslog = lazy<(priority: number, format: string, type: string, message: Buffer) => void>(
    'void syslog(int priority, const char *format, ...)',
  );
  return (message) => syslog(LOG_INFO, '%s', 'void *', message);
}
