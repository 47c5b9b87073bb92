/** inotifywait's CSV field rule: quoted iff it holds `"`, `,` or a newline, or starts or ends with a space. */
import type { ByteString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

const NEEDS_QUOTES = /["\n,]|^ | $/;

export function csvField(field: ByteString): ByteString {
  if (field.length > 4096) return asBytes(''); // inotifywait's buffer limit: an over-long field comes out empty
  return NEEDS_QUOTES.test(field) ? asBytes(`"${field.replace(/"/g, '""')}"`) : field;
}
