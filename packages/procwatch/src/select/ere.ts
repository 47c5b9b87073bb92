/**
 * POSIX extended regular expressions (what pgrep compiles with regcomp(REG_EXTENDED)) translated to a JS
 * RegExp over byte strings. The two syntaxes mostly agree; the differences handled here:
 * - bracket expressions: `[[:alpha:]]` classes, a leading `]` is literal, and `\` is literal inside brackets;
 * - GNU word anchors `\<` and `\>`.
 * Matching is byte-wise (the C locale): the pattern's own non-ASCII characters are turned into their UTF-8
 * bytes so that they match the bytes of a name.
 */
import { fromText } from '../bytes.js';
import { PatternError } from '../errors.js';

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

/** Translate one bracket expression starting at `start` (the `[`); returns the JS text and the next index. */
function bracket(src: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (src[i] === '^') {
    out += '^';
    i++;
  }
  if (src[i] === ']') {
    out += '\\]';
    i++;
  }
  while (i < src.length && src[i] !== ']') {
    if (src.startsWith('[:', i)) {
      const end = src.indexOf(':]', i + 2);
      const name = end < 0 ? undefined : src.slice(i + 2, end);
      const cls = name === undefined ? undefined : CLASSES[name];
      if (cls === undefined) throw new Error('Invalid character class name');
      out += cls;
      i = end + 2;
      continue;
    }
    const c = src[i]!;
    // Inside POSIX brackets a backslash is an ordinary character; `[` needs escaping only for JS's `v` mode,
    // but escaping it is harmless.
    out += c === '\\' || c === '[' ? `\\${c}` : c;
    i++;
  }
  if (i >= src.length) throw new Error('Unmatched [, [^, [:, [., or [=');
  return [out + ']', i + 1];
}

function translate(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '[') {
      const [text, next] = bracket(src, i);
      out += text;
      i = next;
    } else if (c === '\\' && (src[i + 1] === '<' || src[i + 1] === '>')) {
      out += src[i + 1] === '<' ? '\\b(?=\\w)' : '\\b(?<=\\w)';
      i += 2;
    } else if (c === '\\' && i + 1 < src.length) {
      out += src.slice(i, i + 2);
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export interface EreOptions {
  /** pgrep -x: the whole string must match, i.e. `^(pattern)$`. */
  exact?: boolean;
  /** pgrep -i. */
  ignoreCase?: boolean;
}

/** Compile a user's ERE into a RegExp over byte strings. Throws PatternError. */
export function compileEre(pattern: string, options: EreOptions = {}): RegExp {
  try {
    const body = translate(fromText(pattern));
    return new RegExp(options.exact ? `^(?:${body})$` : body, options.ignoreCase ? 'i' : '');
  } catch (err) {
    throw new PatternError(pattern, err instanceof Error ? err.message : String(err));
  }
}
