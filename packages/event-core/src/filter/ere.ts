/**
 * POSIX extended regular expressions as glibc's `regcomp(REG_EXTENDED|REG_NOSUB[|REG_ICASE])` reads them in
 * the C locale (what inotify-tools and pgrep call), translated to RE2 syntax and matched by re2js, a linear-
 * time engine: a name cannot make a pattern like `(a+)+b` take exponential time, as it can with a
 * backtracking engine (JS RegExp).
 *
 * The parser follows glibc's regcomp.c step by step, so the same patterns are accepted and rejected:
 * `a**`, `a{2}{3}` and a lone `)` are fine, `*a`, `a{1`, `(?:a)`, `[[.ab.]]` and `a{32768}` are not.
 * Subjects and patterns are byte strings (one char per byte); the C locale makes every byte a character,
 * classes ASCII-only, and REG_ICASE an ASCII upcase of both the pattern and the subject — except the
 * character after a backslash, which glibc leaves as typed (so under REG_ICASE `\d` matches nothing).
 *
 * Only a yes/no search is needed (REG_NOSUB), so POSIX's leftmost-longest rule never matters.
 * Back-references (`(a)\1`) cannot be matched in linear time: they are refused (EreUnsupportedError).
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';
import type { ByteString } from '../model/bytes.js';

/** glibc's RE_DUP_MAX: the largest count in an interval. */
const DUP_MAX = 0x7fff;
/** glibc's BRACKET_NAME_BUF_SIZE: a `[:name:]` of 32 or more bytes is an unterminated bracket. */
const BRACKET_NAME_MAX = 32;
/** An expanded pattern (counts above re2js's 1000) larger than this is refused rather than compiled. */
const MAX_EXPANDED = 200_000;

/** glibc's error codes (regerror's texts), for a pattern regcomp rejects. */
export type EreErrorCode =
  | 'REG_BADPAT' | 'REG_ECOLLATE' | 'REG_ECTYPE' | 'REG_EESCAPE' | 'REG_ESUBREG' | 'REG_EBRACK'
  | 'REG_EPAREN' | 'REG_EBRACE' | 'REG_BADBR' | 'REG_ERANGE' | 'REG_ESIZE' | 'REG_BADRPT';

const MESSAGES: Record<EreErrorCode, string> = {
  REG_BADPAT: 'Invalid regular expression',
  REG_ECOLLATE: 'Invalid collation character',
  REG_ECTYPE: 'Invalid character class name',
  REG_EESCAPE: 'Trailing backslash',
  REG_ESUBREG: 'Invalid back reference',
  REG_EBRACK: 'Unmatched [, [^, [:, [., or [=',
  REG_EPAREN: 'Unmatched ( or \\(',
  REG_EBRACE: 'Unmatched \\{',
  REG_BADBR: 'Invalid content of \\{\\}',
  REG_ERANGE: 'Invalid range end',
  REG_ESIZE: 'Regular expression too big',
  REG_BADRPT: 'Invalid preceding regular expression',
};

/** A pattern glibc's regcomp rejects; `message` is regerror's text. */
export class EreSyntaxError extends SyntaxError {
  constructor(readonly code: EreErrorCode) {
    super(MESSAGES[code]);
  }
}

/** A pattern glibc accepts that cannot be matched in linear time (back-references) or is too large. */
export class EreUnsupportedError extends Error {}

export interface EreOptions {
  /** REG_ICASE: ASCII letters match either case. */
  readonly ignoreCase?: boolean;
}

/** A compiled pattern: an unanchored yes/no search over a byte string. */
export interface ByteMatcher {
  test(subject: ByteString): boolean;
}

// --- character sets (the C locale) ---------------------------------------------------------------------

type ByteSet = boolean[];

function range(lo: number, hi: number, set: ByteSet = new Array<boolean>(256).fill(false)): ByteSet {
  for (let c = lo; c <= hi; c++) set[c] = true;
  return set;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const CLASSES: Readonly<Record<string, (c: number) => boolean>> = {
  alpha: isAlpha,
  digit: isDigit,
  alnum: (c) => isAlpha(c) || isDigit(c),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  blank: (c) => c === 0x20 || c === 0x09,
  punct: (c) => c >= 0x21 && c <= 0x7e && !isAlpha(c) && !isDigit(c),
  print: (c) => c >= 0x20 && c <= 0x7e,
  graph: (c) => c >= 0x21 && c <= 0x7e,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

const WORD_CLASS = '[0-9A-Za-z_]';
const NOT_WORD_CLASS = '[^0-9A-Za-z_]';

function hex(c: number): string {
  return `\\x{${c.toString(16)}}`;
}

/** One byte as an RE2 literal. */
function literal(c: number): string {
  return isAlpha(c) || isDigit(c) ? String.fromCharCode(c) : hex(c);
}

/** A set of bytes as an RE2 class (it never matches a char above 0xff: subjects have none). */
function setSource(set: ByteSet): string {
  let out = '';
  for (let c = 0; c < 256; c++) {
    if (!set[c]) continue;
    let end = c;
    while (end + 1 < 256 && set[end + 1]) end++;
    out += end === c ? hex(c) : `${hex(c)}-${hex(end)}`;
    c = end;
  }
  return out === '' ? '[^\\x{0}-\\x{10ffff}]' : `[${out}]`;
}

// --- the parser (glibc's regcomp.c, RE_SYNTAX_POSIX_EXTENDED) ------------------------------------------

/** A token as glibc's peek_token sees it; `c` is its char (the escaped one for `\x`). */
type TokenType =
  | 'char' | 'end' | 'alt' | 'star' | 'plus' | 'question' | 'openDup' | 'closeDup' | 'open' | 'close'
  | 'bracket' | 'period' | 'anchor' | 'backref' | 'class' | 'backslashEnd';
interface Token {
  readonly type: TokenType;
  readonly c: number;
  readonly length: number;
  /** RE2 source for anchors and the \w \W \s \S classes. */
  readonly source?: string;
}

const PLAIN: Readonly<Record<string, TokenType>> = {
  '|': 'alt', '*': 'star', '+': 'plus', '?': 'question', '{': 'openDup', '}': 'closeDup', '(': 'open',
  ')': 'close', '[': 'bracket', '.': 'period', '^': 'anchor', $: 'anchor',
};

const ESCAPES: Readonly<Record<string, { type: TokenType; source: string }>> = {
  // \< and \> are glibc's word start and end; RE2 has only \b, so each adds a (linear) look-behind.
  '<': { type: 'anchor', source: `(?<!${WORD_CLASS})\\b` },
  '>': { type: 'anchor', source: `(?<=${WORD_CLASS})\\b` },
  b: { type: 'anchor', source: '\\b' },
  B: { type: 'anchor', source: '\\B' },
  '`': { type: 'anchor', source: '\\A' },
  "'": { type: 'anchor', source: '\\z' },
  w: { type: 'class', source: WORD_CLASS },
  W: { type: 'class', source: NOT_WORD_CLASS },
  s: { type: 'class', source: '[\\t\\n\\x{b}\\f\\r ]' },
  S: { type: 'class', source: '[^\\t\\n\\x{b}\\f\\r ]' },
};

/** One member of a bracket expression: a byte, or a whole class (`[:alpha:]`), or an equivalence class. */
interface Element {
  readonly kind: 'char' | 'class' | 'equiv';
  readonly c: number;
  readonly set?: ByteSet;
}

class Parser {
  #i = 0;
  #token: Token;
  /** Groups closed so far (a back-reference may only name one of these). */
  #completed = new Set<number>();
  #groups = 0;
  hasBackref = false;

  constructor(
    private readonly re: ByteString,
    private readonly icase: boolean,
    private readonly expand: boolean,
  ) {
    this.#token = this.#peek();
  }

  /** The pattern byte at `i` as the parser reads it: upcased under REG_ICASE (glibc's re_string). */
  #byte(i: number): number {
    const c = this.re.charCodeAt(i);
    return this.icase && c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
  }

  #peek(): Token {
    const re = this.re;
    const i = this.#i;
    if (i >= re.length) return { type: 'end', c: 0, length: 0 };
    const c = this.#byte(i);
    if (c !== 0x5c) return { type: PLAIN[String.fromCharCode(c)] ?? 'char', c, length: 1 };
    if (i + 1 >= re.length) return { type: 'backslashEnd', c, length: 1 };
    const c2 = re.charCodeAt(i + 1); // as typed, never upcased
    const ch = String.fromCharCode(c2);
    if (c2 >= 0x31 && c2 <= 0x39) return { type: 'backref', c: c2, length: 2 };
    const escape = ESCAPES[ch];
    if (escape) return { type: escape.type, c: c2, length: 2, source: escape.source };
    return { type: 'char', c: c2, length: 2 };
  }

  /** Whether the current token is of this type (a method, so that TypeScript does not narrow across calls). */
  #at(type: TokenType): boolean {
    return this.#token.type === type;
  }

  #fetch(): Token {
    this.#i += this.#token.length;
    this.#token = this.#peek();
    return this.#token;
  }

  parse(): string {
    const out = this.#regExp(0);
    if (this.#token.type !== 'end') throw new EreSyntaxError('REG_BADPAT'); // unreachable: parse_reg_exp
    return out;
  }

  /** parse_reg_exp: branches separated by `|`; an empty branch matches the empty string. */
  #regExp(nest: number): string {
    const branches = [this.#branch(nest)];
    while (this.#token.type === 'alt') {
      this.#fetch();
      branches.push(this.#branch(nest));
    }
    return branches.length === 1 ? branches[0]! : branches.join('|');
  }

  /** parse_branch */
  #branch(nest: number): string {
    let out = '';
    for (;;) {
      const t = this.#token.type;
      if (t === 'alt' || t === 'end' || (nest > 0 && t === 'close')) return out;
      out += this.#expression(nest);
    }
  }

  /** parse_expression: one atom and the repetitions after it. */
  #expression(nest: number): string {
    const token = this.#token;
    let atom: string;
    switch (token.type) {
      case 'char':
      case 'close': // a `)` with no group open is an ordinary character (RE_UNMATCHED_RIGHT_PAREN_ORD)
      case 'closeDup':
        atom = literal(token.c);
        break;
      case 'period':
        atom = '.';
        break;
      case 'bracket':
        atom = this.#bracket();
        break;
      case 'open':
        atom = this.#group(nest);
        break;
      case 'class':
        atom = token.source!;
        break;
      case 'backref': {
        if (!this.#completed.has(token.c - 0x30)) throw new EreSyntaxError('REG_ESUBREG');
        this.hasBackref = true;
        atom = '(?:)';
        break;
      }
      case 'anchor':
        // Anchors take no repetition: the next token starts a new expression (`^*` is an error).
        this.#fetch();
        return token.source ?? (token.c === 0x5e ? '^' : '$');
      case 'star':
      case 'plus':
      case 'question':
      case 'openDup':
        throw new EreSyntaxError('REG_BADRPT');
      case 'backslashEnd':
        throw new EreSyntaxError('REG_EESCAPE');
      default:
        throw new EreSyntaxError('REG_BADPAT');
    }
    this.#fetch();
    for (;;) {
      const t = this.#token.type;
      if (t === 'star' || t === 'plus' || t === 'question') {
        atom = `(?:${atom})${t === 'star' ? '*' : t === 'plus' ? '+' : '?'}`;
        this.#fetch();
      } else if (t === 'openDup') {
        atom = this.#interval(atom);
      } else {
        return atom;
      }
    }
  }

  /** parse_sub_exp: `(` … `)`. */
  #group(nest: number): string {
    const index = ++this.#groups;
    this.#fetch();
    let inner = '';
    if (!this.#at('close')) {
      inner = this.#regExp(nest + 1);
      if (!this.#at('close')) throw new EreSyntaxError('REG_EPAREN');
    }
    this.#completed.add(index);
    return `(?:${inner})`;
  }

  /** glibc's fetch_number: digits up to `}` or `,`; -1 for none, -2 for anything else. */
  #number(): number {
    let num = -1;
    for (;;) {
      const token = this.#fetch();
      if (token.type === 'end') return -2;
      if (token.type === 'closeDup' || token.c === 0x2c) return num;
      const digit = token.type === 'char' && token.c >= 0x30 && token.c <= 0x39;
      num = !digit || num === -2 ? -2 : num === -1 ? token.c - 0x30 : Math.min(DUP_MAX + 1, num * 10 + token.c - 0x30);
    }
  }

  /** parse_dup_op for `{m}`, `{m,}`, `{,n}`, `{m,n}`. */
  #interval(atom: string): string {
    let start = this.#number();
    let end = 0;
    if (start === -1) {
      if (this.#token.type === 'char' && this.#token.c === 0x2c) start = 0; // `{,n}` is `{0,n}`
      else throw new EreSyntaxError('REG_BADBR'); // `{}`
    }
    if (start !== -2) {
      end =
        this.#token.type === 'closeDup' ? start : this.#token.type === 'char' && this.#token.c === 0x2c ? this.#number() : -2;
    }
    if (start === -2 || end === -2) throw new EreSyntaxError(this.#token.type === 'end' ? 'REG_EBRACE' : 'REG_BADBR');
    if ((end !== -1 && start > end) || this.#token.type !== 'closeDup') throw new EreSyntaxError('REG_BADBR');
    if ((end === -1 ? start : end) > DUP_MAX) throw new EreSyntaxError('REG_ESIZE');
    this.#fetch();
    return repeat(atom, start, end, this.expand);
  }

  // --- bracket expressions (parse_bracket_exp) ---

  #bracketToken(): Token {
    const re = this.re;
    const i = this.#i;
    if (i >= re.length) return { type: 'end', c: 0, length: 0 };
    const c = this.#byte(i);
    if (c === 0x5b && i + 1 < re.length) {
      const c2 = this.#byte(i + 1);
      if (c2 === 0x2e) return { type: 'char', c: -1, length: 2, source: '.' }; // [.
      if (c2 === 0x3d) return { type: 'char', c: -1, length: 2, source: '=' }; // [=
      if (c2 === 0x3a) return { type: 'char', c: -1, length: 2, source: ':' }; // [:
    }
    const type: TokenType = c === 0x2d ? 'alt' /* range '-' */ : c === 0x5d ? 'close' : 'char';
    return { type, c, length: 1 };
  }

  /** parse_bracket_element: returns a single byte, or a class / equivalence marker. */
  #element(token: Token, acceptHyphen: boolean): Element {
    this.#i += token.length;
    if (token.c === -1) return this.#symbol(token.source!);
    if (token.type === 'alt' && !acceptHyphen && this.#bracketToken().type !== 'close') {
      throw new EreSyntaxError('REG_ERANGE'); // a '-' that is neither first, last nor a range end
    }
    return { kind: 'char', c: token.c };
  }

  /** parse_bracket_symbol and its builders: `[.x.]`, `[=x=]`, `[:name:]`. */
  #symbol(delim: string): Element {
    const re = this.re;
    if (this.#i >= re.length) throw new EreSyntaxError('REG_EBRACK');
    let name = '';
    for (let n = 0; ; n++) {
      if (n >= BRACKET_NAME_MAX) throw new EreSyntaxError('REG_EBRACK');
      // A class name is read as typed; collating and equivalence names as the parser sees them.
      const ch = delim === ':' ? re.charCodeAt(this.#i) : this.#byte(this.#i);
      this.#i++;
      if (this.#i >= re.length) throw new EreSyntaxError('REG_EBRACK');
      if (String.fromCharCode(ch) === delim && re[this.#i] === ']') break;
      name += String.fromCharCode(ch);
    }
    this.#i++;
    if (delim === ':') {
      // Under REG_ICASE glibc reads upper and lower as alpha.
      const key = this.icase && (name === 'upper' || name === 'lower') ? 'alpha' : name;
      const test = CLASSES[key];
      if (!test) throw new EreSyntaxError('REG_ECTYPE');
      const set = new Array<boolean>(256).fill(false);
      for (let c = 0; c < 256; c++) set[c] = test(c);
      return { kind: 'class', c: 0, set };
    }
    if (name.length !== 1) throw new EreSyntaxError('REG_ECOLLATE');
    return { kind: delim === '=' ? 'equiv' : 'char', c: name.charCodeAt(0) };
  }

  #bracket(): string {
    this.#i += 1; // '['
    let negate = false;
    let token = this.#bracketToken();
    if (token.type === 'char' && token.c === 0x5e) {
      negate = true;
      this.#i += 1;
      token = this.#bracketToken();
    }
    if (token.type === 'close') token = { ...token, type: 'char' }; // a first ']' is a member
    if (token.type === 'end') throw new EreSyntaxError('REG_EBRACK');
    const set = new Array<boolean>(256).fill(false);
    let first = true;
    for (;;) {
      const start = this.#element(token, first);
      first = false;
      token = this.#bracketToken();
      let end: Element | undefined;
      if (start.kind !== 'class' && start.kind !== 'equiv') {
        if (token.type === 'end') throw new EreSyntaxError('REG_EBRACK');
        if (token.type === 'alt') {
          this.#i += token.length;
          const token2 = this.#bracketToken();
          if (token2.type === 'end') throw new EreSyntaxError('REG_EBRACK');
          if (token2.type === 'close') {
            this.#i -= token.length; // a last '-' is a member
            token = { ...token, type: 'char' };
          } else {
            end = this.#element(token2, true);
            token = this.#bracketToken();
          }
        }
      }
      if (end) {
        if (end.kind === 'class' || end.kind === 'equiv') throw new EreSyntaxError('REG_ERANGE');
        if (start.c > end.c) throw new EreSyntaxError('REG_ERANGE');
        range(start.c, end.c, set);
      } else if (start.set) {
        for (let c = 0; c < 256; c++) if (start.set[c]) set[c] = true;
      } else {
        set[start.c] = true;
      }
      if (token.type === 'end') throw new EreSyntaxError('REG_EBRACK');
      if (token.type === 'close') break;
    }
    // Past the closing ']'; the caller's fetch then reads the token after it.
    this.#i += token.length;
    this.#token = { type: 'char', c: 0x5d, length: 0 };
    if (negate) for (let c = 0; c < 256; c++) set[c] = !set[c];
    return setSource(set);
  }
}

/** `atom{start,end}` (end -1: no upper bound), in re2js's syntax; counts above 1000 written out. */
function repeat(atom: string, start: number, end: number, expand: boolean): string {
  if (start === 0 && end === 0) return '(?:)';
  if (!expand) return `(?:${atom}){${start},${end === -1 ? '' : end}}`;
  // Written out: `x{2,4}` is `xx(?:x)?(?:x)?`, the same strings; `x{2,}` is `xx(?:x)*`.
  const total = atom.length * (end === -1 ? start + 1 : end) + 8 * (end === -1 ? 1 : end - start);
  if (total > MAX_EXPANDED) throw new EreUnsupportedError('the pattern is too large to match in linear time');
  let out = atom.repeat(start);
  out += end === -1 ? `(?:${atom})*` : `(?:${atom})?`.repeat(end - start);
  return `(?:${out})`;
}

/** The RE2 source for an ERE (for tests and diagnostics). Throws EreSyntaxError or EreUnsupportedError. */
export function ereToRe2Source(pattern: ByteString, options: EreOptions = {}, expand = false): string {
  const parser = new Parser(pattern, options.ignoreCase ?? false, expand);
  let source: string;
  try {
    source = parser.parse();
  } catch (err) {
    // The parser recurses once per open group: thousands of nested `(` exhaust the stack.
    if (err instanceof RangeError) throw new EreUnsupportedError('the pattern nests too deeply');
    throw err;
  }
  if (parser.hasBackref) {
    throw new EreUnsupportedError('back-references (\\1 to \\9) are not supported: they cannot be matched in linear time');
  }
  return source;
}

/** re2js, loaded on the first pattern (synchronously): a run without one does not parse its 260 kB. */
let re2jsModule: typeof RE2JSClass | undefined;
export function re2js(): typeof RE2JSClass {
  return (re2jsModule ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS);
}

/** Compiles an ERE (bytes) into a linear-time matcher. Throws EreSyntaxError or EreUnsupportedError. */
export function compileEre(pattern: ByteString, options: EreOptions = {}): ByteMatcher {
  const RE2JS = re2js();
  const FLAGS = RE2JS.DOTALL | RE2JS.LOOKBEHINDS;
  let re: RE2JSClass;
  try {
    re = RE2JS.compile(ereToRe2Source(pattern, options), FLAGS);
  } catch (err) {
    if (err instanceof EreSyntaxError || err instanceof EreUnsupportedError) throw err;
    // re2js takes counts up to 1000 (also nested: (a{100}){100}); glibc up to 32767: write them out.
    try {
      re = RE2JS.compile(ereToRe2Source(pattern, options, true), FLAGS);
    } catch (again) {
      if (again instanceof EreUnsupportedError) throw again;
      throw new EreUnsupportedError(`the pattern cannot be matched in linear time (${(again as Error).message})`);
    }
  }
  if (!options.ignoreCase) return { test: (subject) => re.test(subject) };
  // REG_ICASE upcases the subject's ASCII letters (and only those: the C locale).
  return { test: (subject) => re.test(subject.replace(/[a-z]+/g, (m) => m.toUpperCase())) };
}
