/**
 * Shell-style globs over byte strings (`--exclude-glob` and friends): picomatch reads the glob (`*`, `?`,
 * `**`, `[!a-z]`, `[[:digit:]]`, `{a,b}`, `{1..3}`, extglobs `@(…)`, `*(…)`, `+(…)`, `?(…)`, `!(…)`), so its
 * syntax is the well-known one rather than ours; the regex it writes is then run by re2js (linear time), not
 * by a backtracking RegExp, where `*a*a*a*a*b` against a long name would take minutes.
 *
 * picomatch guards its wildcards with look-aheads so that they never match a `.` or `..` segment and never
 * an empty name. Paths here are as typed (`./d/x`), so those guards go: `*` matches any one component. A
 * glob that is `!(…)` as a whole is the negation of its inner glob; a `!(…)` inside a glob would need an
 * unbounded look-ahead and is refused.
 */
import { createRequire } from 'node:module';
import type picomatchModule from 'picomatch';
import type { RE2JS as RE2JSClass } from 're2js';
import type { ByteString } from '../model/bytes.js';
import { asBytes } from '../model/bytes.js';
import type { ByteMatcher } from './ere.js';
import { re2js } from './ere.js';

/** picomatch, loaded on the first glob. */
let picomatchFn: typeof picomatchModule | undefined;
const picomatch = (): typeof picomatchModule => (picomatchFn ??= createRequire(import.meta.url)('picomatch') as typeof picomatchModule);

export class GlobSyntaxError extends SyntaxError {}

const OPTIONS: picomatchModule.PicomatchOptions = { dot: true, posix: true, nonegate: true, strictBrackets: false };

/** picomatch's dot-segment and non-empty guards, in the forms it writes them with `dot: true`. */
const GUARDS = ['(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?!\\.{1,2}(?:\\/|$))', '(?=.)'];

function re2Source(glob: ByteString, ignoreCase: boolean): string {
  let source: string;
  try {
    source = picomatch().makeRe(glob, { ...OPTIONS, nocase: ignoreCase }).source;
  } catch (err) {
    throw new GlobSyntaxError((err as Error).message);
  }
  // picomatch's answer to a glob it cannot read (`{a`, a trailing backslash): a regex that matches nothing.
  if (source === '$^') throw new GlobSyntaxError('malformed glob');
  for (const guard of GUARDS) source = source.split(guard).join('');
  if (/\(\?[=!<]/.test(source)) throw new GlobSyntaxError('!(…) is supported only as the whole glob');
  return escapeHighBytes(source);
}

/** picomatch escapes a non-ASCII character as `\é`, which RE2 refuses: write it as `\x{e9}`. */
function escapeHighBytes(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '\\' && next !== undefined) {
      out += next.charCodeAt(0) > 0x7f ? `\\x{${next.charCodeAt(0).toString(16)}}` : c + next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** A glob that matches the whole subject (anchored at both ends). Throws GlobSyntaxError. */
export function compileGlob(glob: ByteString, ignoreCase = false): ByteMatcher {
  if (glob.startsWith('./')) {
    // picomatch drops a leading `./`; paths here keep it as typed, so it must be there.
    const rest = compileGlob(asBytes(glob.slice(2)), ignoreCase);
    return { test: (subject) => subject.startsWith('./') && rest.test(asBytes(subject.slice(2))) };
  }
  const negated = /^!\((.*)\)$/s.exec(glob);
  if (negated && balanced(negated[1]!)) {
    const inner = compileGlob(asBytes(negated[1]!), ignoreCase);
    return { test: (subject) => !subject.includes('/') && !inner.test(subject) };
  }
  const RE2JS = re2js();
  let re: RE2JSClass;
  try {
    re = RE2JS.compile(re2Source(glob, ignoreCase), RE2JS.DOTALL | (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0));
  } catch (err) {
    if (err instanceof GlobSyntaxError) throw err;
    throw new GlobSyntaxError((err as Error).message);
  }
  return re;
}

/** True when the parentheses of `text` pair up (so `!(a)|(b)` is not read as one negation). */
function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
