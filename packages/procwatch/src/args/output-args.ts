/** Options that shape the output: pgrep's list forms, the table, and event formats. */
import type { Options } from 'yargs';
import { fromText, type ByteString } from '../bytes.js';
import { UsageError } from '../errors.js';
import { DEFAULT_FORMAT, DEFAULT_TIMEFMT } from '../output/event-defaults.js';
import type { ListStyle } from '../output/pid-list.js';

const group = 'Output:';

export const outputOptions = {
  'list-name': { alias: 'l', type: 'boolean', group, describe: 'list the PID and the process name' },
  'list-full': { alias: 'a', type: 'boolean', group, describe: 'list the PID and the full command line' },
  count: { alias: 'c', type: 'boolean', group, describe: 'print the number of matches' },
  delimiter: { alias: 'd', type: 'string', group, describe: 'separator between PIDs (default: newline; a space with --pidof)', requiresArg: true },
  table: { type: 'boolean', group, describe: 'show the matches as a table (PID, PPID, user, state, threads, RSS, CPU time, start, command)' },
  format: { type: 'string', group, describe: `event line template for -m (default "${DEFAULT_FORMAT}")`, requiresArg: true },
  timefmt: { type: 'string', group, describe: `strftime format of %T (default "${DEFAULT_TIMEFMT}")`, requiresArg: true },
  json: { type: 'boolean', group, describe: 'events as JSON, one object per line' },
  quiet: { alias: 'q', type: 'boolean', group, describe: 'no informational messages on stderr' },
} as const satisfies Record<string, Options>;

export interface OutputArgv {
  'list-name'?: boolean;
  'list-full'?: boolean;
  count?: boolean;
  delimiter?: string | string[];
  table?: boolean;
  format?: string | string[];
  timefmt?: string | string[];
  json?: boolean;
  quiet?: boolean;
}

export interface OutputOptions {
  style: ListStyle;
  /** undefined: the mode's default (newline for lists, space for --pidof). */
  delimiter: ByteString | undefined;
  count: boolean;
  table: boolean;
  format: string;
  timefmt: string;
  json: boolean;
  quiet: boolean;
}

/** The last value of an option given more than once (getopt's behaviour). */
function last(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function resolveOutput(argv: OutputArgv): OutputOptions {
  if (argv.json && argv.format !== undefined) throw new UsageError('--json and --format cannot be used together');
  const delimiter = last(argv.delimiter);
  return {
    // pgrep: -a wins over -l.
    style: argv['list-full'] ? 'full' : argv['list-name'] ? 'name' : 'pid',
    delimiter: delimiter === undefined ? undefined : fromText(delimiter),
    count: argv.count ?? false,
    table: argv.table ?? false,
    format: last(argv.format) ?? DEFAULT_FORMAT,
    timefmt: last(argv.timefmt) ?? DEFAULT_TIMEFMT,
    json: argv.json ?? false,
    quiet: argv.quiet ?? false,
  };
}
