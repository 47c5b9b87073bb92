/**
 * The command line → {@link DnotifyArgs}, by the option table (cli-kit's parser: getopt's word rules,
 * yargs behind them). Pure: no file is read and no path is checked here (that is `resolve-config.ts`).
 */
import type { ByteString } from '@inotifykit/event-core';
import { parseCommandLine } from '@inotifykit/cli-kit/options';
import { UsageError } from '../errors.js';
import type { TriggerKind } from '../watch/event-selection.js';
import { DEFAULT_KINDS, TRIGGER_KINDS } from '../watch/event-selection.js';
import { UNLIMITED, parseProcesses, parseQueueDepth, parseTimes } from './counts.js';
import { DNOTIFY_OPTIONS } from './option-table.js';
import { toText } from '@inotifykit/event-core';

/** What the user asked for, as typed (directories not yet checked or read from `-f` files). */
export interface DnotifyArgs {
  readonly kinds: ReadonlySet<TriggerKind>;
  /** Directory operands, as given. */
  readonly directories: readonly ByteString[];
  /** `-f` files listing more directories. */
  readonly directoryFiles: readonly ByteString[];
  /** The words after `-e` (`{}` not yet substituted); undefined = the default `echo {}`. */
  readonly command: readonly ByteString[] | undefined;
  /** `--json`: print each change as a JSON object instead of running a command. */
  readonly json: boolean;
  /** Commands at once; {@link UNLIMITED} for no limit. */
  readonly processes: number;
  /** Triggers that may wait; {@link UNLIMITED} for no limit. */
  readonly queueDepth: number;
  readonly coalesce: boolean;
  /** Exit after this many finished runs (or printed objects); undefined = run forever. */
  readonly times: number | undefined;
  readonly recursive: boolean;
  readonly background: boolean;
  readonly silent: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

const usageError = (line: ByteString): UsageError => new UsageError(toText(line));

export function parseArgs(args: readonly ByteString[]): DnotifyArgs {
  const line = parseCommandLine(DNOTIFY_OPTIONS, args, { error: usageError });
  if (line.rest !== undefined && line.rest.length === 0) throw new UsageError("option '-e' requires a command");
  const json = line.flag('json');
  if (json) {
    // The scheduling options are about commands; --json runs none.
    const conflict = line.rest !== undefined ? '-e' : ['processes', 'queue', 'coalesce'].find((o) => line.has(o));
    if (conflict) throw new UsageError(`--json cannot be used with ${conflict.startsWith('-') ? conflict : `--${conflict}`}`);
  }

  const kinds = new Set<TriggerKind>(line.flag('all') ? TRIGGER_KINDS : TRIGGER_KINDS.filter((kind) => line.flag(kind)));
  if (kinds.size === 0) for (const kind of DEFAULT_KINDS) kinds.add(kind);

  const processes = line.value('processes');
  const queue = line.value('queue');
  const times = line.value('times');
  const timesCount = times === undefined ? undefined : parseTimes(times);
  return {
    kinds,
    directories: line.operands,
    directoryFiles: line.values('file'),
    command: line.rest,
    json,
    processes: processes === undefined ? 1 : parseProcesses(processes),
    queueDepth: queue === undefined ? UNLIMITED : parseQueueDepth(queue),
    coalesce: line.flag('coalesce'),
    // `-o` is `-t 1`; when both are given the smaller count wins.
    times: line.flag('once') ? 1 : timesCount,
    recursive: line.flag('recursive'),
    background: line.flag('background'),
    silent: line.flag('silent'),
    help: line.flag('help'),
    version: line.flag('version'),
  };
}
