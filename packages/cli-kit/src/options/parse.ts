/**
 * A command line → {@link CommandLine}, by the table. `split-words.ts` cuts the words with getopt's rules;
 * yargs assembles the result (repeated options, `--no-X`). Values reach yargs behind a NUL (no argument
 * can contain one): yargs strips quotes from a `--opt='x'` value and would coerce a bare one, and the
 * tools want the bytes as typed. Pure: nothing is read and nothing is printed.
 */
import type { ByteString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';
import yargs from 'yargs';
import { UsageError } from '../usage-error.js';
import type { ErrorFactory } from './split-words.js';
import { splitWords } from './split-words.js';
import type { IndexedTable, OptionTable } from './table.js';
import { OptionTableError, indexTable } from './table.js';

/** The parsed command line, read by the options' long names. */
export interface CommandLine {
  /** Operands, in order (also those after `--`). */
  readonly operands: readonly ByteString[];
  /** The words after the `endsOptions` option (`-e COMMAND ARG...`); undefined when it was not given. */
  readonly rest: readonly ByteString[] | undefined;
  /** How it was spelled (`-e`, `--execute`), for messages. */
  readonly restSpelling: ByteString | undefined;
  /** The option was given, in any spelling. */
  has(long: string): boolean;
  /** A flag: the last of `--X` and `--no-X` given; `fallback` when neither was. */
  flag(long: string, fallback?: boolean): boolean;
  /** The last value given (getopt's rule for an option given twice). */
  value(long: string): ByteString | undefined;
  /** Every value given, in order. */
  values(long: string): ByteString[];
}

export interface ParseOptions {
  /** The error for a bad command line (default: cli-kit's UsageError, exit status 1). */
  readonly error?: ErrorFactory;
}

const MARK = '\0';
const indexes = new WeakMap<OptionTable, IndexedTable>();

function indexed(table: OptionTable): IndexedTable {
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = indexTable(table)));
  return index;
}

type Parsed = Record<string, unknown>;

function assemble(index: IndexedTable, words: string[]): Parsed {
  let parser = yargs(words)
    .parserConfiguration({
      'camel-case-expansion': false,
      'dot-notation': false,
      'boolean-negation': true,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'duplicate-arguments-array': true,
      'greedy-arrays': false,
      'strip-aliased': true,
    })
    .help(false)
    .version(false)
    .exitProcess(false)
    .strict()
    .fail((message: string | undefined, err: Error | undefined) => {
      // split-words.ts let through only what the table knows: this is a table bug, not the user's.
      throw new OptionTableError(message ?? err?.message ?? 'yargs refused the options');
    });
  for (const spec of index.table.options) {
    if (!spec.endsOptions) parser = parser.option(spec.long, { type: spec.value ? 'string' : 'boolean' });
  }
  return parser.parseSync() as Parsed;
}

/** Parses `words` (the arguments after the program name, as bytes). Throws the table's usage error. */
export function parseCommandLine(table: OptionTable, words: readonly ByteString[], options: ParseOptions = {}): CommandLine {
  const index = indexed(table);
  const error = options.error ?? ((line: ByteString) => new UsageError(line));
  const split = splitWords(index, words, error);
  const yargsWords = split.occurrences.map(({ spec, value, negated }) =>
    value !== undefined ? `--${spec.long}=${MARK}${value}` : negated ? `--no-${spec.long}` : `--${spec.long}`,
  );
  const parsed = assemble(index, yargsWords);

  const known = (long: string): unknown => {
    if (!index.byLong.has(long)) throw new OptionTableError(`no option '${long}' in the table`);
    const given = parsed[long];
    return given === undefined ? [] : Array.isArray(given) ? given : [given];
  };
  const values = (long: string): ByteString[] =>
    (known(long) as unknown[]).filter((v): v is string => typeof v === 'string').map((v) => asBytes(v.slice(MARK.length)));
  return {
    operands: split.operands,
    rest: split.rest,
    restSpelling: split.restSpelling,
    has: (long) => (known(long) as unknown[]).length > 0,
    flag: (long, fallback = false) => {
      const given = known(long) as unknown[];
      return given.length === 0 ? fallback : given[given.length - 1] === true;
    },
    value: (long) => values(long).at(-1),
    values,
  };
}
