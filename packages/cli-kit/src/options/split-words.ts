/**
 * The command line cut into options, operands and the command after an `endsOptions` option, with
 * getopt's rules (the rules the drop-ins and the original tools follow), before yargs sees it:
 *
 * - short options bundle (`-CDp2` is `-C -D -p 2`); a value is attached or the next word, whatever it
 *   looks like (`-q -1`, `-f -e` take `-1` and `-e`), where yargs would read a word starting with `-` as
 *   the next option;
 * - long options are spelled in full, the value after `=` or as the next word;
 * - operands may stand anywhere before `--`, which ends the options;
 * - the words after `-e COMMAND` are never looked at.
 *
 * Words are byte strings and only ASCII option syntax is interpreted, so any name passes through intact.
 * Errors carry glibc getopt's wording (`invalid option -- 'x'`).
 */
import type { ByteString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';
import type { IndexedTable, OptionSpec } from './table.js';

/** One option as given. */
export interface Occurrence {
  readonly spec: OptionSpec;
  /** The value (for options that take one). */
  readonly value?: ByteString;
  /** Given as `--no-LONG`. */
  readonly negated?: boolean;
}

export interface SplitWords {
  /** In the order given. */
  readonly occurrences: readonly Occurrence[];
  readonly operands: readonly ByteString[];
  /** The words after the `endsOptions` option; undefined when it was not given. */
  readonly rest: readonly ByteString[] | undefined;
  /** The spelling that ended the options (`-e`, `--execute`). */
  readonly restSpelling: ByteString | undefined;
}

/** Builds the error to throw from one line of text (bytes: it may quote what was typed). */
export type ErrorFactory = (line: ByteString) => Error;

/** An `endsOptions` option given as a whole word: the command words, else undefined. */
function endingWord(index: IndexedTable, words: readonly ByteString[], i: number): ByteString[] | undefined {
  const word = words[i]!;
  const eq = word.indexOf('=');
  const name = word.startsWith('--') ? word.slice(2, eq < 0 ? undefined : eq) : undefined;
  const spec = name === undefined ? (word.length === 2 ? index.byShort.get(word.slice(1)) : undefined) : index.byLong.get(name);
  if (!spec?.endsOptions) return undefined;
  const rest = words.slice(i + 1);
  return eq < 0 || name === undefined ? rest : [asBytes(word.slice(eq + 1)), ...rest];
}

export function splitWords(index: IndexedTable, words: readonly ByteString[], error: ErrorFactory): SplitWords {
  const occurrences: Occurrence[] = [];
  const operands: ByteString[] = [];
  const ended = (rest: ByteString[], spelling: string): SplitWords => ({ occurrences, operands, rest, restSpelling: asBytes(spelling) });

  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      for (let j = i + 1; j < words.length; j++) {
        const rest = index.table.endsOptionsAfterDoubleDash ? endingWord(index, words, j) : undefined;
        if (rest) return ended(rest, words[j]!.split('=')[0]!);
        operands.push(words[j]!);
      }
      break;
    }
    if (word === '-' || !word.startsWith('-')) {
      operands.push(word);
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const attached = eq < 0 ? undefined : asBytes(word.slice(eq + 1));
      const spec = index.byLong.get(name);
      const negation = spec ? undefined : index.byNegation.get(name);
      const typed = asBytes(`--${name}`);
      if (!spec && !negation) throw error(asBytes(`unrecognized option '${typed}'`));
      if (negation) {
        if (attached !== undefined) throw error(asBytes(`option '${typed}' doesn't allow an argument`));
        occurrences.push({ spec: negation, negated: true });
      } else if (spec!.endsOptions) {
        return ended(attached === undefined ? words.slice(i + 1) : [attached, ...words.slice(i + 1)], typed);
      } else if (!spec!.value) {
        if (attached !== undefined) throw error(asBytes(`option '${typed}' doesn't allow an argument`));
        occurrences.push({ spec: spec! });
      } else if (attached !== undefined) {
        occurrences.push({ spec: spec!, value: attached });
      } else {
        if (i + 1 >= words.length) throw error(asBytes(`option '${typed}' requires an argument`));
        occurrences.push({ spec: spec!, value: words[++i]! });
      }
      continue;
    }
    // A bundle of short options: flags, then at most one that takes a value (the rest of the word, or the next).
    for (let j = 1; j < word.length; j++) {
      const letter = word[j]!;
      const spec = index.byShort.get(letter);
      if (!spec) throw error(asBytes(`invalid option -- '${letter}'`));
      const attached = asBytes(word.slice(j + 1));
      if (spec.endsOptions) return ended(attached === '' ? words.slice(i + 1) : [attached, ...words.slice(i + 1)], `-${letter}`);
      if (!spec.value) {
        occurrences.push({ spec });
        continue;
      }
      if (attached !== '') occurrences.push({ spec, value: attached });
      else if (i + 1 < words.length) occurrences.push({ spec, value: words[++i]! });
      else throw error(asBytes(`option requires an argument -- '${letter}'`));
      break;
    }
  }
  return { occurrences, operands, rest: undefined, restSpelling: undefined };
}
