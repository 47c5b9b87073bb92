/**
 * Path filters on `%w%f` (the watch path plus the name), compiled once. inotify-tools uses POSIX extended
 * regular expressions (glibc `regcomp(REG_EXTENDED|REG_NOSUB)`, C locale, unanchored search); this
 * translates such a pattern to an equivalent JS RegExp run on the path's bytes (a latin1 byte string).
 */
import type { ByteString } from '../model/bytes.js';
import { fromText } from '../model/bytes.js';
import { PatternError } from '../model/errors.js';

/** True when an event with this `%w%f` should be kept. */
export type PathFilter = (path: ByteString) => boolean;

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
  word: '0-9A-Za-z_',
};

/** Translates a POSIX ERE (GNU flavour) to JS RegExp source. Throws SyntaxError on malformed input. */
export function ereToJsSource(ere: ByteString): string {
  let out = '';
  let i = 0;
  while (i < ere.length) {
    const c = ere[i]!;
    if (c === '\\') {
      const next = ere[i + 1];
      if (next === undefined) throw new SyntaxError('trailing backslash');
      // GNU word-boundary and buffer anchors; other escapes mean the same in JS or are literal.
      if (next === '<' || next === '>') out += '\\b';
      else if (next === '`') out += '^';
      else if (next === "'") out += '$';
      else if (/[wWsSbB]/.test(next)) out += '\\' + next;
      else if (/[0-9A-Za-z]/.test(next)) out += next === '0' ? '\\x00' : /[1-9]/.test(next) ? '\\' + next : next;
      else out += '\\' + next;
      i += 2;
    } else if (c === '[') {
      const [source, end] = translateBracket(ere, i);
      out += source;
      i = end;
    } else if (c === '{' && !/^\{\d*(,\d*)?\}/.test(ere.slice(i))) {
      out += '\\{'; // a brace that is not an interval is literal in ERE
      i += 1;
    } else {
      out += c === '/' ? '\\/' : c;
      i += 1;
    }
  }
  return out;
}

/** A bracket expression starting at ere[start] === '['; returns its JS source and the index after it. */
function translateBracket(ere: ByteString, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (ere[i] === '^') {
    out += '^';
    i += 1;
  }
  let first = true;
  for (;;) {
    const c = ere[i];
    if (c === undefined) throw new SyntaxError('unterminated bracket expression');
    if (c === ']' && !first) return [out + ']', i + 1];
    if (c === '[' && (ere[i + 1] === ':' || ere[i + 1] === '.' || ere[i + 1] === '=')) {
      const kind = ere[i + 1]!;
      const close = ere.indexOf(kind + ']', i + 2);
      if (close === -1) throw new SyntaxError('unterminated class');
      const name = ere.slice(i + 2, close);
      if (kind === ':') {
        const cls = CLASSES[name];
        if (cls === undefined) throw new SyntaxError(`unknown class ${name}`);
        out += cls;
      } else {
        out += escapeInBracket(name);
      }
      i = close + 2;
    } else {
      // Backslash and other specials are literal inside POSIX brackets.
      out += c === '-' ? '-' : escapeInBracket(c);
      i += 1;
    }
    first = false;
  }
}

function escapeInBracket(text: string): string {
  return text.replace(/[\\\][^]/g, (m) => '\\' + m);
}

export interface RegexFilterSpec {
  readonly kind: 'include' | 'exclude';
  /** The pattern as typed (UTF-8 text); matched against the path's bytes. */
  readonly pattern: string;
  readonly ignoreCase: boolean;
}

/** Compiles a POSIX ERE to a RegExp over byte strings; a malformed pattern throws PatternError. */
export function compileEre(pattern: string, ignoreCase: boolean, kind: 'include' | 'exclude'): RegExp {
  try {
    // 's': in POSIX (without REG_NEWLINE) '.' also matches a newline.
    return new RegExp(ereToJsSource(fromText(pattern)), ignoreCase ? 'is' : 's');
  } catch (err) {
    throw new PatternError(kind, pattern, (err as Error).message);
  }
}

/** Several filters: an event is kept only when every one keeps it. */
export function allOf(filters: readonly PathFilter[]): PathFilter | undefined {
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return (path) => filters.every((f) => f(path));
}
