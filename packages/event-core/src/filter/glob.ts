/**
 * Shell-style globs over byte strings, compiled once to a RegExp: `*` and `?` stay within one path
 * component, `**` crosses `/`, `[abc]`/`[!a-z]`/`[^a-z]` are sets, `{a,b}` are alternatives, `\x` is a
 * literal x. A glob matches the whole subject (anchored at both ends).
 */
import type { ByteString } from '../model/bytes.js';

export class GlobSyntaxError extends SyntaxError {}

export function globToRegExp(glob: ByteString, ignoreCase = false): RegExp {
  return new RegExp(`^${translate(glob)}$`, ignoreCase ? 'is' : 's');
}

function translate(glob: ByteString): string {
  let out = '';
  let depth = 0; // inside {…}
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') {
      const next = glob[i + 1];
      if (next === undefined) throw new GlobSyntaxError('trailing backslash');
      out += escapeChar(next);
      i += 1;
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` also matches no directory at all: `a/**/b` matches `a/b`.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = bracketEnd(glob, i);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]^[]/g, (m) => '\\' + m)}]`;
      i = end;
    } else if (c === '{') {
      depth += 1;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth -= 1;
      out += ')';
    } else if (c === ',' && depth > 0) {
      out += '|';
    } else {
      out += escapeChar(c);
    }
  }
  if (depth > 0) throw new GlobSyntaxError('unterminated {');
  return out;
}

/** Index of the `]` closing the set opened at `start`, or -1 (then `[` is literal). */
function bracketEnd(glob: ByteString, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i += 1;
  if (glob[i] === ']') i += 1; // a leading ] is a member
  const end = glob.indexOf(']', i);
  return end;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c;
}
