/** Options that shape the output: pgrep's list forms, the table, and event formats. */
import type { ByteString } from '@inotifykit/event-core';
import { fromText } from '@inotifykit/event-core';
import type { CommandLine, OptionSpec } from '@inotifykit/cli-kit/options';
import { UsageError } from '../errors.js';
import { DEFAULT_FORMAT, DEFAULT_TIMEFMT } from '../output/event-defaults.js';
import type { ListStyle } from '../output/pid-list.js';

const group = 'Output';

export const outputOptions: readonly OptionSpec[] = [
  { long: 'list-name', short: 'l', group, description: 'list the PID and the process name' },
  { long: 'list-full', short: 'a', group, description: 'list the PID and the full command line' },
  { long: 'count', short: 'c', group, description: 'print the number of matches' },
  {
    long: 'delimiter',
    short: 'd',
    value: { name: 'TEXT' },
    group,
    description: 'separator between PIDs (default: newline; a space with --pidof)',
  },
  {
    long: 'table',
    group,
    description: 'show the matches as a table (PID, PPID, user, state, threads, RSS, CPU time, start, command)',
  },
  { long: 'format', value: { name: 'FORMAT' }, group, description: `event line template for -m (default "${DEFAULT_FORMAT}")` },
  { long: 'timefmt', value: { name: 'FORMAT' }, group, description: `strftime format of %T (default "${DEFAULT_TIMEFMT}")` },
  { long: 'json', group, description: 'events as JSON, one object per line (docs/json.md)' },
  { long: 'quiet', short: 'q', group, description: 'no informational messages on stderr' },
];

export interface OutputOptions {
  style: ListStyle;
  /** undefined: the mode's default (newline for lists, space for --pidof). */
  delimiter: ByteString | undefined;
  count: boolean;
  table: boolean;
  /** As typed (bytes). */
  format: ByteString;
  timefmt: ByteString;
  json: boolean;
  quiet: boolean;
}

export function resolveOutput(line: CommandLine): OutputOptions {
  const json = line.flag('json');
  if (json && line.has('format')) throw new UsageError('--json and --format cannot be used together');
  return {
    // pgrep: -a wins over -l.
    style: line.flag('list-full') ? 'full' : line.flag('list-name') ? 'name' : 'pid',
    delimiter: line.value('delimiter'),
    count: line.flag('count'),
    table: line.flag('table'),
    format: line.value('format') ?? fromText(DEFAULT_FORMAT),
    timefmt: line.value('timefmt') ?? fromText(DEFAULT_TIMEFMT),
    json,
    quiet: line.flag('quiet'),
  };
}
