/**
 * File names for the human formats. Paths are bytes; a boxed table needs one printable line, so they get a
 * faithful spelling of their own (JSON's is event-core's putBytes).
 */
import type { ByteString } from '@inotifykit/event-core';

/**
 * One printable line for a terminal table: valid UTF-8 is kept, control characters and bytes that are not
 * UTF-8 are written as C escapes (`\n`, `\t`, `\xff`), and a backslash as `\\`, so the spelling is
 * unambiguous.
 */
export function displayText(path: ByteString): string {
  const bytes = Buffer.from(path, 'latin1');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b >= 0x80) {
      const length = sequenceLength(bytes, i);
      if (length > 0) {
        out += bytes.toString('utf8', i, i + length);
        i += length;
        continue;
      }
      out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b === 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
    i += 1;
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `at`, or 0 (no overlongs, surrogates or > U+10FFFF). */
function sequenceLength(bytes: Buffer, at: number): number {
  const b = bytes[at]!;
  const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  for (let k = 1; k < length; k++) if ((bytes[at + k]! & 0xc0) !== 0x80) return 0;
  const second = bytes[at + 1]!;
  if (b === 0xe0 && second < 0xa0) return 0;
  if (b === 0xed && second > 0x9f) return 0;
  if (b === 0xf0 && second < 0x90) return 0;
  if (b === 0xf4 && second > 0x8f) return 0;
  return length;
}
