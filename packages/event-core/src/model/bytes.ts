/**
 * File names are bytes. Inside the engine a path or name is a "byte string": a JS string whose every char
 * code is one byte (0–255), i.e. the bytes decoded as latin1. It is lossless for any byte sequence (invalid
 * UTF-8, newlines, quotes), cheap to slice, concatenate and use as a Map key, and turns back into the exact
 * bytes with `Buffer.from(s, 'latin1')`.
 */
declare const byteStringBrand: unique symbol;
/** Branded: the compiler tells a byte string from text (see fromText, toText, asBytes). */
export type ByteString = string & { readonly [byteStringBrand]: true };

/** Text the user typed (argv, a format string) as the bytes it stands for (UTF-8). */
export function fromText(text: string): ByteString {
  // Pure ASCII needs no conversion; that is nearly every argument, so skip the two copies.
   
  return /^[\x00-\x7f]*$/.test(text) ? asBytes(text) : asBytes(Buffer.from(text, 'utf8').toString('latin1'));
}

/** The bytes of a byte string. */
export function toBuffer(bytes: ByteString): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/** A byte string shown as text (UTF-8 decoding; invalid sequences become U+FFFD). For messages, not data. */
export function toText(bytes: ByteString): string {
   
  return /^[\x00-\x7f]*$/.test(bytes) ? bytes : Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A byte string as a NUL-terminated C string, for libc calls. */
export function toCString(bytes: ByteString): Buffer {
  const buf = Buffer.allocUnsafe(bytes.length + 1);
  buf.write(bytes, 0, 'latin1');
  buf[bytes.length] = 0;
  return buf;
}

/**
 * A string that is already a byte string: built only from byte strings and ASCII text (concatenation,
 * slicing, latin1 decoding). The one unchecked way in; text the user typed goes through `fromText`.
 */
export function asBytes(s: string): ByteString {
  return s as ByteString;
}
