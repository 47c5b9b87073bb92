/**
 * glibc `getopt_long`, reproduced: the same permutation (options may follow operands), bundling (`-mrq`),
 * attached and separate arguments (`-t1`, `-t 1`, `--timeout=1`, `--timeout 1`), `--`, unique prefixes of
 * long options (`--mon`), and the same diagnostics, word for word. inotify-tools' loops stop at the first
 * error, so parsing stops there too; the options before it are still returned (their checks still run).
 *
 * Strings are passed through untouched (the CLIs give byte strings, see bytes.ts), so messages quote the
 * user's bytes exactly as glibc does.
 *
 * Extension options: a tool that adds long options must not make an old abbreviation ambiguous
 * (`--re` meant `--recursive` before a `--ready` existed). Options marked `extension` are therefore only
 * considered when no classic option matches at all, or when spelled in full.
 */
import type { ByteString } from '@inotifykit/event-core';
import { UsageError } from './usage-error.js';
import { asBytes } from '@inotifykit/event-core';

export type ArgumentRule = 'none' | 'required' | 'optional';

export interface LongOption {
  /** Name without the dashes: `timeout`. */
  readonly name: string;
  readonly argument: ArgumentRule;
  /** What the parser reports for it; the short letter when there is one (`t`), so both spellings agree. */
  readonly key: string;
  /** Not in inotify-tools: matched only by its full name or when no classic option matches the prefix. */
  readonly extension?: boolean;
}

export interface GetoptSpec {
  /** glibc optstring: letters, `:` after a letter that takes an argument (`mrhcdsPqt:fo:e:IFS`). */
  readonly shortOptions: string;
  readonly longOptions: readonly LongOption[];
  /** The name glibc prints before its messages (`argv[0]`). */
  readonly program: string;
}

export interface ParsedOption {
  readonly key: string;
  /** The argument; undefined for options without one (or an optional one not given). */
  readonly value: ByteString | undefined;
  /** As typed, for messages: `-t` or `--timeout`. */
  readonly spelling: string;
}

export interface GetoptResult {
  /** Options in the order given, up to (not including) the first error. */
  readonly options: ParsedOption[];
  /** Non-option arguments, in order (complete only when there is no error). */
  readonly operands: ByteString[];
  /** The first error, with glibc's exact message; parsing stopped there. */
  readonly error: UsageError | undefined;
}

/** Parses arguments (without argv[0]). Honours POSIXLY_CORRECT like glibc (stop at the first operand). */
export function getopt(args: readonly ByteString[], spec: GetoptSpec): GetoptResult {
  const options: ParsedOption[] = [];
  const operands: ByteString[] = [];
  const stopAtOperand = process.env.POSIXLY_CORRECT !== undefined || spec.shortOptions.startsWith('+');
  const fail = (text: string): GetoptResult => ({ options, operands, error: new UsageError(asBytes(`${spec.program}: ${text}`)) });

  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (stopAtOperand) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(arg);
      i += 1;
      continue;
    }
    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      const name = eq === -1 ? body : body.slice(0, eq);
      const found = findLong(spec.longOptions, name);
      i += 1;
      if (found.kind === 'ambiguous') {
        const list = found.candidates.map((o) => ` '--${o.name}'`).join('');
        return fail(`option '--${body}' is ambiguous; possibilities:${list}`);
      }
      if (found.kind === 'none') return fail(`unrecognized option '--${body}'`);
      const option = found.option;
      let value: ByteString | undefined;
      if (eq !== -1) {
        if (option.argument === 'none') return fail(`option '--${option.name}' doesn't allow an argument`);
        value = asBytes(body.slice(eq + 1));
      } else if (option.argument === 'required') {
        if (i >= args.length) return fail(`option '--${option.name}' requires an argument`);
        value = args[i]!;
        i += 1;
      }
      options.push({ key: option.key, value, spelling: `--${option.name}` });
      continue;
    }
    // A bundle of short options: `-mrq`, `-t1`, `-mt 1`.
    i += 1;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      const at = letter === ':' || letter === ';' || letter === '+' ? -1 : spec.shortOptions.indexOf(letter);
      if (at === -1) return fail(`invalid option -- '${letter}'`);
      const takes = spec.shortOptions[at + 1] === ':';
      if (!takes) {
        options.push({ key: letter, value: undefined, spelling: `-${letter}` });
        continue;
      }
      const optional = spec.shortOptions[at + 2] === ':';
      const rest = arg.slice(j + 1);
      let value: ByteString | undefined;
      if (rest !== '') value = asBytes(rest);
      else if (!optional) {
        if (i >= args.length) return fail(`option requires an argument -- '${letter}'`);
        value = args[i]!;
        i += 1;
      }
      options.push({ key: letter, value, spelling: `-${letter}` });
      break;
    }
  }
  return { options, operands, error: undefined };
}

type LongMatch =
  | { readonly kind: 'found'; readonly option: LongOption }
  | { readonly kind: 'ambiguous'; readonly candidates: LongOption[] }
  | { readonly kind: 'none' };

function findLong(table: readonly LongOption[], name: string): LongMatch {
  const exact = table.find((o) => o.name === name);
  if (exact) return { kind: 'found', option: exact };
  const classic = matchPrefix(table.filter((o) => !o.extension), name);
  if (classic.kind !== 'none') return classic;
  return matchPrefix(table.filter((o) => o.extension), name);
}

/** glibc's abbreviation rule: prefixes that resolve to the same (argument rule, key) are not ambiguous. */
function matchPrefix(table: readonly LongOption[], name: string): LongMatch {
  let first: LongOption | undefined;
  const ambiguous = new Set<LongOption>();
  for (const option of table) {
    if (!option.name.startsWith(name)) continue;
    if (!first) first = option;
    else if (first.argument !== option.argument || first.key !== option.key) {
      ambiguous.add(first);
      ambiguous.add(option);
    }
  }
  if (ambiguous.size > 0) return { kind: 'ambiguous', candidates: table.filter((o) => ambiguous.has(o)) };
  return first ? { kind: 'found', option: first } : { kind: 'none' };
}
