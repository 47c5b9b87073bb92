/**
 * The `%`-template engine shared by the CLIs, with inotifywait's parsing rules. A template is compiled once
 * into a list of parts; rendering an event only calls the token functions and concatenates.
 *
 * Everything is a byte string (see bytes.ts): token functions return byte strings, the format text is given
 * as a byte string (use `fromText` on argv), and `render` returns a byte string (`toBuffer` for bytes).
 *
 * Rules (inotifywait's `inotifytools_snprintf`): `%%` → `%`, `%0` → NUL, `%n` → newline, `%<token>` → the
 * token, `%X<sep-token>` → the separated token with the one-character separator X (`%:e`), any other
 * `%<c>` → itself (`%q` stays `%q`). A `%` at the very end is a literal `%` (inotifywait printed nothing at
 * all for such a format; that is a bug we do not copy). Tokens listed by the caller take precedence over
 * the built-in `%0 %n %%`, so a tool can give `%n` another meaning.
 */
import type { ByteString } from '../model/bytes.js';
import { asBytes } from '../model/bytes.js';

export type TokenFn<E> = (event: E) => ByteString;
/** Makes the token function for one separator, once, when the template is compiled. */
export type SeparatedTokenFactory<E> = (separator: ByteString) => TokenFn<E>;

export interface TemplateSpec<E> {
  /** Single-character tokens: `w` for `%w`. */
  readonly tokens: Readonly<Record<string, TokenFn<E>>>;
  /** Tokens that take a one-character separator before them: `e` for `%e` and `%Xe`. */
  readonly separated?: Readonly<Record<string, SeparatedTokenFactory<E>>>;
  /** Separator used for a separated token written without one (`%e`). Default `,`. */
  readonly defaultSeparator?: ByteString;
}

export type Template<E> = (event: E) => ByteString;

const BUILTINS: Readonly<Record<string, string>> = { '%': '%', '0': '\0', n: '\n' };

type Part<E> = ByteString | TokenFn<E>;

export function compileTemplate<E>(format: ByteString, spec: TemplateSpec<E>): Template<E> {
  const folded = foldedParts(format, spec);
  if (folded.length === 0) return () => asBytes('');
  if (folded.length === 1) {
    const only = folded[0]!;
    return typeof only === 'string' ? () => only : only;
  }
  return (event) => {
    let out = '';
    for (let i = 0; i < folded.length; i++) {
      const part = folded[i]!;
      out += typeof part === 'string' ? part : part(event);
    }
    return asBytes(out);
  };
}

/**
 * A template that writes its bytes (the same as {@link compileTemplate}'s byte string, `latin1`) into
 * `into` from `at` on, returning where they end, or -1 when they do not fit (then nothing useful was
 * written: retry in a larger buffer). Rendering a batch into one reusable buffer makes no string per event.
 */
export type TemplateWriter<E> = (event: E, into: Buffer, at: number) => number;

export function compileTemplateWriter<E>(format: ByteString, spec: TemplateSpec<E>): TemplateWriter<E> {
  const folded = foldedParts(format, spec);
  const n = folded.length;
  return (event, into, at) => {
    let pos = at;
    for (let i = 0; i < n && pos >= 0; i++) {
      const part = folded[i]!;
      pos = writeBytes(typeof part === 'string' ? part : part(event), into, pos);
    }
    return pos;
  };
}

/** Strings longer than this go through Buffer's own latin1 write; shorter ones are copied by hand (cheaper). */
const SHORT_STRING = 48;

/** The byte string `s` into `into` at `at` (as Buffer.from(s, 'latin1') would encode it); its end, or -1. */
export function writeBytes(s: ByteString, into: Buffer, at: number): number {
  const len = s.length;
  const end = at + len;
  if (end > into.length) return -1;
  if (len > SHORT_STRING) (into as unknown as Latin1Writer).latin1Write(s, at, len);
  else for (let i = 0; i < len; i++) into[at + i] = s.charCodeAt(i);
  return end;
}

/** Node's internal fast path behind write(string, offset, length, 'latin1'), without its argument checks. */
type Latin1Writer = { latin1Write(string: string, offset: number, length: number): number };

/** The parts of `format`, adjacent literals folded into one. */
function foldedParts<E>(format: ByteString, spec: TemplateSpec<E>): Part<E>[] {
  const folded: Part<E>[] = [];
  for (const part of parse(format, spec, () => {})) {
    const last = folded[folded.length - 1];
    if (typeof part === 'string' && typeof last === 'string') folded[folded.length - 1] = asBytes(last + part);
    else folded.push(part);
  }
  return folded;
}

/** The tokens of `spec` that `format` uses, by letter (a tool may skip work for what is never printed). */
export function templateTokens<E>(format: ByteString, spec: TemplateSpec<E>): Set<string> {
  const used = new Set<string>();
  parse(format, spec, (c) => used.add(c));
  return used;
}

function parse<E>(format: ByteString, spec: TemplateSpec<E>, onToken: (c: string) => void): Part<E>[] {
  const parts: Part<E>[] = [];
  const separated = spec.separated ?? {};
  const defaultSep = spec.defaultSeparator ?? asBytes(',');
  let literal = '';
  const flush = () => {
    if (literal) parts.push(asBytes(literal));
    literal = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      literal += c;
      continue;
    }
    const next = format[i + 1];
    if (next === undefined) {
      literal += '%';
      break;
    }
    const token = spec.tokens[next];
    const sepToken = separated[next];
    if (token) {
      flush();
      parts.push(token);
      onToken(next);
      i += 1;
    } else if (sepToken) {
      flush();
      parts.push(sepToken(defaultSep));
      onToken(next);
      i += 1;
    } else if (next in BUILTINS) {
      literal += BUILTINS[next];
      i += 1;
    } else {
      const after = format[i + 2];
      const afterToken = after === undefined ? undefined : separated[after];
      if (afterToken) {
        flush();
        parts.push(afterToken(asBytes(next)));
        onToken(after!);
        i += 2;
      } else {
        literal += '%' + next;
        i += 1;
      }
    }
  }
  flush();
  return parts;
}
