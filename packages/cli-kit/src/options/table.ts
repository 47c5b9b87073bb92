/**
 * The declarative option table of the tools that are not drop-ins (dnotify, procwatch): each option is
 * declared once, and the parser (`parse.ts`), the `--help` text (`help.ts`) and the shell completion
 * (`completion.ts`, read by scripts/completion.mjs) are all made from it, so they cannot drift apart.
 * The drop-ins keep glibc getopt tables (`getopt.ts`): their bytes-exact behaviour is inotify-tools'.
 */

/**
 * What an option's value is, for completion: a file, a directory, a command, a process name, a PID, a
 * user; `text` and `number` complete nothing. Values are always parsed by the tool (strictly, with its own
 * messages): the table never turns `2x` into 2.
 */
export type ValueKind = 'text' | 'number' | 'file' | 'directory' | 'command' | 'process' | 'pid' | 'user';

export interface OptionValue {
  /** Shown in `--help` (`COUNT`, `FILE`). */
  readonly name: string;
  readonly kind?: ValueKind;
  /** The words the value may be (completion offers them). */
  readonly choices?: readonly string[];
  /** The value is a comma-separated list (of `choices`, when given): `--events start,exit`. */
  readonly list?: boolean;
}

export interface OptionSpec {
  /** Long name, without dashes; the key the parsed result is read by. */
  readonly long: string;
  /** Single-letter form. */
  readonly short?: string;
  /** Further long names for the same option (`--quiet` for `--silent`). */
  readonly aliases?: readonly string[];
  /** The option takes a value (`-p 2`, `-p2`, `--processes=2`, `--processes 2`); absent: a flag. */
  readonly value?: OptionValue;
  /** May be given more than once, each value kept (`-f A -f B`); otherwise the last one given counts. */
  readonly repeatable?: boolean;
  /** A flag with a `--no-LONG` form that turns it off. */
  readonly negatable?: boolean;
  /**
   * Ends option parsing: every word after it is a command and its arguments (`-e COMMAND ARG...`), its own
   * options included. A word attached to it (`-eCMD`, `--execute=CMD`) is the command's first word.
   */
  readonly endsOptions?: boolean;
  /** One sentence or so for `--help`. */
  readonly description: string;
  /** The `--help` heading it is listed under; groups are listed in the order they first appear. */
  readonly group: string;
}

export interface OptionTable {
  readonly options: readonly OptionSpec[];
  /** An `endsOptions` option still ends the options after `--` (dnotify: `dnotify -- -dir -e cmd`). */
  readonly endsOptionsAfterDoubleDash?: boolean;
}

/** The table, indexed by every spelling. */
export interface IndexedTable {
  readonly table: OptionTable;
  readonly byShort: ReadonlyMap<string, OptionSpec>;
  readonly byLong: ReadonlyMap<string, OptionSpec>;
  /** `--no-LONG` spellings of negatable flags. */
  readonly byNegation: ReadonlyMap<string, OptionSpec>;
}

/** A table that contradicts itself: a programming error, found by the table's own test (`verify`). */
export class OptionTableError extends Error {}

/** Indexes the table; throws {@link OptionTableError} on a duplicate spelling or an impossible entry. */
export function indexTable(table: OptionTable): IndexedTable {
  const byShort = new Map<string, OptionSpec>();
  const byLong = new Map<string, OptionSpec>();
  const byNegation = new Map<string, OptionSpec>();
  const claim = (map: Map<string, OptionSpec>, name: string, spec: OptionSpec): void => {
    if (map.has(name) || (map === byLong && byNegation.has(name)) || (map === byNegation && byLong.has(name))) {
      throw new OptionTableError(`option '${name}' is declared twice`);
    }
    map.set(name, spec);
  };
  for (const spec of table.options) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(spec.long)) throw new OptionTableError(`bad long name '${spec.long}'`);
    if (spec.short !== undefined && !/^[A-Za-z0-9]$/.test(spec.short)) throw new OptionTableError(`bad short name '${spec.short}'`);
    if (spec.negatable && (spec.value || spec.endsOptions)) throw new OptionTableError(`'${spec.long}' negatable but not a flag`);
    if (spec.endsOptions && spec.value) throw new OptionTableError(`'${spec.long}' ends the options and takes a value`);
    if (spec.description === '' || spec.group === '') throw new OptionTableError(`'${spec.long}' has no description or group`);
    if (spec.short !== undefined) claim(byShort, spec.short, spec);
    for (const name of [spec.long, ...(spec.aliases ?? [])]) claim(byLong, name, spec);
    if (spec.negatable) claim(byNegation, `no-${spec.long}`, spec);
  }
  return { table, byShort, byLong, byNegation };
}
