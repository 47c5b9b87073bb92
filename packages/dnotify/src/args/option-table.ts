/**
 * Every option dnotify knows, in one table: the tokenizer, the yargs definitions and the help text all read
 * it, so they cannot drift apart.
 */

export interface OptionSpec {
  /** Long name, without dashes; also the key in the parsed result. */
  readonly long: string;
  /** Single-letter form, if any. */
  readonly short?: string;
  /** Further long names for the same option. */
  readonly aliases?: readonly string[];
  /** Takes a value (`-p 2`, `-p2`, `--processes=2`). */
  readonly takesValue: boolean;
}

export const OPTIONS: readonly OptionSpec[] = [
  { long: 'access', short: 'A', takesValue: false },
  { long: 'modify', short: 'M', takesValue: false },
  { long: 'create', short: 'C', takesValue: false },
  { long: 'delete', short: 'D', takesValue: false },
  { long: 'rename', short: 'R', takesValue: false },
  { long: 'attrib', short: 'B', takesValue: false },
  { long: 'all', short: 'a', takesValue: false },
  { long: 'file', short: 'f', takesValue: true },
  { long: 'processes', short: 'p', takesValue: true },
  { long: 'queue', short: 'q', takesValue: true },
  { long: 'coalesce', takesValue: false },
  { long: 'times', short: 't', takesValue: true },
  { long: 'once', short: 'o', takesValue: false },
  { long: 'recursive', short: 'r', takesValue: false },
  { long: 'background', short: 'b', takesValue: false },
  { long: 'silent', short: 's', aliases: ['quiet'], takesValue: false },
  { long: 'help', takesValue: false },
  { long: 'version', takesValue: false },
];

/** `-e`/`--execute`: not in the table because it ends option parsing (everything after it is the command). */
export const EXECUTE_SHORT = 'e';
export const EXECUTE_LONG = 'execute';

const byShort = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));
const byLong = new Map(OPTIONS.flatMap((o) => [o.long, ...(o.aliases ?? [])].map((name) => [name, o] as const)));

export function optionByShort(letter: string): OptionSpec | undefined {
  return byShort.get(letter);
}

export function optionByLong(name: string): OptionSpec | undefined {
  return byLong.get(name);
}
