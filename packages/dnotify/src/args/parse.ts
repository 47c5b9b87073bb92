/**
 * The command line → {@link DnotifyArgs}. Pure: no file is read and no path is checked here (that is
 * `resolve-config.ts`). yargs does the option syntax after `tokenize` has cut off the command.
 */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import yargs from 'yargs';
import { UsageError } from '../errors.js';
import type { TriggerKind } from '../watch/event-selection.js';
import { DEFAULT_KINDS, TRIGGER_KINDS } from '../watch/event-selection.js';
import { UNLIMITED, parseProcesses, parseQueueDepth, parseTimes } from './counts.js';
import { OPTIONS } from './option-table.js';
import { tokenize } from './tokenize.js';
import { asBytes } from '@inotifykit/event-core';

/** What the user asked for, as typed (directories not yet checked or read from `-f` files). */
export interface DnotifyArgs {
  readonly kinds: ReadonlySet<TriggerKind>;
  /** Directory operands, as given. */
  readonly directories: readonly ByteString[];
  /** `-f` files listing more directories. */
  readonly directoryFiles: readonly ByteString[];
  /** The words after `-e` (`{}` not yet substituted); undefined = the default `echo {}`. */
  readonly command: readonly ByteString[] | undefined;
  /** Commands at once; {@link UNLIMITED} for no limit. */
  readonly processes: number;
  /** Triggers that may wait; {@link UNLIMITED} for no limit. */
  readonly queueDepth: number;
  readonly coalesce: boolean;
  /** Exit after this many finished runs; undefined = run forever. */
  readonly times: number | undefined;
  readonly recursive: boolean;
  readonly background: boolean;
  readonly silent: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

type Parsed = Record<string, unknown> & { _: unknown[]; '--'?: unknown[] };

/** Last value of an option given once or more (duplicates come back as an array). */
function last(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function all(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function flag(parsed: Parsed, name: string): boolean {
  return last(parsed[name]) === true;
}

function parseWithYargs(options: readonly ByteString[]): Parsed {
  let parser = yargs([...options])
    .parserConfiguration({
      'camel-case-expansion': false,
      'dot-notation': false,
      'boolean-negation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'duplicate-arguments-array': true,
      'greedy-arrays': false,
      // Unknown options come back as operands; they are reported below with getopt's wording.
      'unknown-options-as-args': true,
      'populate--': true,
      'strip-aliased': true,
    })
    .help(false)
    .version(false)
    .exitProcess(false)
    .fail((message: string | undefined, err: Error | undefined) => {
      throw new UsageError(toText(asBytes(message ?? err?.message ?? 'invalid arguments')));
    });
  for (const spec of OPTIONS) {
    const alias = [...(spec.short ? [spec.short] : []), ...(spec.aliases ?? [])];
    parser = parser.option(spec.long, { alias, type: spec.takesValue ? 'string' : 'boolean' });
  }
  return parser.parseSync() as Parsed;
}

export function parseArgs(args: readonly ByteString[]): DnotifyArgs {
  const tokens = tokenize(args);
  const parsed = parseWithYargs(tokens.options);

  const operands = parsed._.map((word) => asBytes(String(word)));
  const unknown = operands.find((op) => op.length > 1 && op.startsWith('-'));
  if (unknown !== undefined) {
    const name = asBytes(unknown.split('=')[0]!);
    throw new UsageError(`unrecognized option '${toText(name)}'`);
  }
  if (tokens.command !== undefined && tokens.command.length === 0) {
    throw new UsageError("option '-e' requires a command");
  }

  const kinds = new Set<TriggerKind>(
    flag(parsed, 'all') ? TRIGGER_KINDS : TRIGGER_KINDS.filter((kind) => flag(parsed, kind)),
  );
  if (kinds.size === 0) for (const kind of DEFAULT_KINDS) kinds.add(kind);

  const processes = last(parsed.processes);
  const queue = last(parsed.queue);
  const times = last(parsed.times);
  const timesCount = times === undefined ? undefined : parseTimes(String(times));
  return {
    kinds,
    directories: [...operands, ...(parsed['--'] ?? []).map((word) => asBytes(String(word)))],
    directoryFiles: all(parsed.file).map(asBytes),
    command: tokens.command,
    processes: processes === undefined ? 1 : parseProcesses(String(processes)),
    queueDepth: queue === undefined ? UNLIMITED : parseQueueDepth(String(queue)),
    coalesce: flag(parsed, 'coalesce'),
    // `-o` is `-t 1`; when both are given the smaller count wins.
    times: flag(parsed, 'once') ? 1 : timesCount,
    recursive: flag(parsed, 'recursive'),
    background: flag(parsed, 'background'),
    silent: flag(parsed, 'silent'),
    help: flag(parsed, 'help'),
    version: flag(parsed, 'version'),
  };
}
