/**
 * `%T`: strftime(3) formatting, memoised per second (the unit of `%T`). On Linux it is the C library's own
 * strftime on localtime_r (what inotifywait calls), so every conversion, flag, width and TZ rule comes out
 * byte for byte as there; the `strftime` package stands in only where no C library can be bound.
 */
import strftime from 'strftime';
import { formatLocalTime } from '@inotifykit/sys';
import type { ByteString } from '../model/bytes.js';
import { asBytes, fromText, toCString, toText } from '../model/bytes.js';

type SecondFormatter = (second: number) => ByteString;

function libcFormatter(timefmt: ByteString): SecondFormatter {
  const format = toCString(timefmt);
  return (second) => asBytes(formatLocalTime(format, second));
}

function packageFormatter(timefmt: ByteString): SecondFormatter {
  const text = toText(timefmt);
  return (second) => fromText(strftime(text, new Date(second * 1000)));
}

/** A time formatter for one strftime format (bytes): `(ms since epoch) => byte string`, local time. */
export function compileTimeFormat(timefmt: ByteString): (ms: number) => ByteString {
  const format = process.platform === 'linux' ? libcFormatter(timefmt) : packageFormatter(timefmt);
  let lastSecond = NaN;
  let lastText = asBytes('');
  return (ms) => {
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastText = format(second);
    }
    return lastText;
  };
}
