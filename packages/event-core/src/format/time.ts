/** `%T`: strftime(3) formatting through the `strftime` package, memoised per second (the unit of `%T`). */
import strftime from 'strftime';
import type { ByteString } from '../model/bytes.js';
import { asBytes, fromText } from '../model/bytes.js';

/** A time formatter for one strftime format: `(ms since epoch) => byte string`, local time. */
export function compileTimeFormat(timefmt: string): (ms: number) => ByteString {
  let lastSecond = NaN;
  let lastText = asBytes('');
  return (ms) => {
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastText = fromText(strftime(timefmt, new Date(second * 1000)));
    }
    return lastText;
  };
}

