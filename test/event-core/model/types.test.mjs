// The model's domain types as the compiler sees them: byte strings and event masks are branded, so text
// where bytes are meant, or a bare number (a wd, a cookie) where a mask is meant, does not compile. Each
// `@ts-expect-error` line must be an error: tsc fails on one that is not ("Unused '@ts-expect-error'").
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratch, tsc } from '../../lib/typecheck.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

test('ByteString and EventMask are types of their own: mixing them with text or bare numbers does not compile', async (t) => {
  const file = path.join(scratch(t, here), 'brands.ts');
  fs.writeFileSync(file, `
import {
  IN_CREATE, IN_ISDIR, asBytes, asMask, fromText, maskOf, parseEventList, renderMask, toText,
  type ByteString, type EventMask,
} from '@inotifykit/event-core';

const takesBytes = (b: ByteString): ByteString => b;
const takesMask = (m: EventMask): EventMask => m;

// The ways in compile.
takesBytes(fromText('café'));
takesBytes(asBytes('raw'));
takesMask(IN_CREATE);
takesMask(asMask(IN_CREATE | IN_ISDIR));
takesMask(maskOf(IN_CREATE, IN_ISDIR));
takesMask(parseEventList('create,modify'));
const text: string = toText(fromText('x'));
const shown: string = renderMask(IN_CREATE);
const bit: number = IN_CREATE & 0x100; // reading bits needs nothing

// @ts-expect-error text is not bytes
takesBytes('café');
// @ts-expect-error bytes do not become text without toText()
const notText: ByteString = text;
// @ts-expect-error a bare number (a wd, a cookie) is not a mask
takesMask(3);
// @ts-expect-error combining bits gives a number: asMask() or maskOf() says it is a mask
takesMask(IN_CREATE | IN_ISDIR);

export { shown, bit, notText };
`);
  await tsc([file]);
});
