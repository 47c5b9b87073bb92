/**
 * The command line → options, with inotifywatch 3.22.6's checks in its order: each option as it comes
 * (the first bad one ends parsing), then, even after a getopt error, the post-loop checks (sort key vs
 * the watched set, then the regex conflicts). Then the extensions' own checks. Pure: no I/O.
 */
import type { ByteString, EventMask } from '@inotifykit/event-core';
import { IN_ALL_EVENTS, NO_EVENTS, asMask } from '@inotifykit/event-core';
import { parseEventOption } from '@inotifykit/cli-kit';
import { getopt } from '@inotifykit/cli-kit';
import type { ParsedOption } from '@inotifykit/cli-kit';
import { RegexOptions } from '@inotifykit/cli-kit';
import { parseTimeoutOption, timeoutIsNegative } from '@inotifykit/cli-kit';
import { UsageError } from '@inotifykit/cli-kit';
import type { BackendChoice } from '@inotifykit/event-core';
import type { SortOrder, SortRequest } from './sort-key.js';
import { parseSortValue, resolveSort } from './sort-key.js';
import type { Program } from './spec.js';
import { GETOPT_SPEC, KEY, PROGRAM } from './spec.js';
import { asBytes, fromText } from '@inotifykit/event-core';

/** How the statistics are printed. `classic` is inotifywatch's table, byte for byte. */
export type OutputFormat = 'classic' | 'table' | 'json' | 'csv';

export interface InotifywatchOptions {
  /** The watched set: the kernel mask and the columns that may appear (IN_ALL_EVENTS without `-e`). */
  readonly events: EventMask;
  readonly recursive: boolean;
  readonly verbose: number;
  /** `-z`: zero rows and columns too. */
  readonly zero: boolean;
  /** `-P`: watch symlinks themselves (IN_DONT_FOLLOW). */
  readonly noDereference: boolean;
  /** Seconds of collection; 0 = until a signal. */
  readonly timeout: number;
  readonly sort: SortOrder;
  readonly fromfile: ByteString | undefined;
  readonly regex: RegexOptions;
  /** Paths and `@exclusions`, as typed. */
  readonly operands: readonly ByteString[];
  /** `--per-file`: a row per `%w%f` rather than per watch. */
  readonly perFile: boolean;
  readonly format: OutputFormat;
  /** `--interval`/`--live`: seconds between snapshots while collecting. */
  readonly interval: number | undefined;
  /** `--live`: redraw in place on a terminal. */
  readonly live: boolean;
  /**
   * `--rescan`: read new directories and count what they already hold as CREATE. Off by default (and
   * with `--no-rescan`, inotifywait's spelling): the statistics count what the kernel reports, as upstream.
   */
  readonly rescan: boolean;
  /** `--rescan-on-overflow`: after a queue overflow, re-read the trees and count new directories. */
  readonly rescanOnOverflow: boolean;
  /** `--backend`: what watches (`auto`, the default, is inotify on Linux); -F/-S make it fanotify. */
  readonly backend: BackendChoice;
  /** `-S`: fanotify with a filesystem mark, what happens below each path (implies -r). */
  readonly filesystem: boolean;
  /** `-t` below zero: with fanotify, abort once the watches are set up (4.x). */
  readonly negativeTimeout: boolean;
  /** `--by-process`: a row per program that caused events (fanotify). */
  readonly byProcess: boolean;
  /**
   * `--since FILE`: count what changed while nothing watched (from FILE's snapshots) before collecting,
   * and save the state to FILE. As typed (bytes); undefined without the option.
   */
  readonly since: ByteString | undefined;
}

/** What the command line asks for. */
export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'watch'; readonly options: InotifywatchOptions };

/** Mutable state of the parse loop. */
interface Draft {
  events: EventMask;
  recursive: boolean;
  verbose: number;
  zero: boolean;
  noDereference: boolean;
  timeout: number;
  sort: SortRequest | undefined;
  sortGivenByA: boolean;
  fromfile: ByteString | undefined;
  regex: RegexOptions;
  formats: OutputFormat[];
  perFile: boolean;
  interval: number | undefined;
  live: boolean;
  rescan: boolean;
  rescanOnOverflow: boolean;
  backend: BackendChoice;
  filesystem: boolean;
  negativeTimeout: boolean;
  byProcess: boolean;
  since: ByteString | undefined;
}

const LIVE_DEFAULT_INTERVAL = 1;

export function parseCommand(args: readonly ByteString[], program: Program = PROGRAM): Command {
  const parsed = getopt(args, program === PROGRAM ? GETOPT_SPEC : { ...GETOPT_SPEC, program });
  const draft: Draft = {
    events: NO_EVENTS, recursive: false, verbose: 0, zero: false, noDereference: false, timeout: 0,
    sort: undefined, sortGivenByA: false, fromfile: undefined, regex: new RegexOptions(),
    formats: [], perFile: false, interval: undefined, live: false, rescan: false, rescanOnOverflow: false,
    // fsnotifywatch: fanotify unless -I.
    backend: program === PROGRAM ? 'auto' : 'fanotify', filesystem: false, negativeTimeout: false, byProcess: false,
    since: undefined,
  };
  for (const option of parsed.options) {
    if (option.key === 'h') return { kind: 'help' };
    if (option.key === KEY.version) return { kind: 'version' };
    applyOption(draft, option);
  }
  const watched = draft.events === 0 ? IN_ALL_EVENTS : draft.events;
  let sort: SortOrder;
  try {
    sort = resolveSort(draft.sort, watched);
    draft.regex.check();
  } catch (err) {
    // The getopt message was printed first, then the post-loop check's.
    if (parsed.error && err instanceof UsageError) throw new UsageError(asBytes(`${parsed.error.text}\n${err.text}`));
    throw err;
  }
  if (parsed.error) throw parsed.error;
  return { kind: 'watch', options: finish(draft, watched, sort, parsed.operands) };
}

function applyOption(draft: Draft, option: ParsedOption): void {
  const value = option.value ?? asBytes('');
  switch (option.key) {
    case 'v': draft.verbose += 1; break;
    case 'r': draft.recursive = true; break;
    case 'z': draft.zero = true; break;
    case 'P': draft.noDereference = true; break;
    // As 4.25 treats them (3.22's inotifywatch accepted and ignored them; its fsnotifywatch obeyed).
    case 'I': draft.backend = 'inotify'; draft.filesystem = false; break;
    case 'F': draft.backend = 'fanotify'; break;
    case 'S': draft.backend = 'fanotify'; draft.filesystem = true; break;
    case 't':
      draft.timeout = parseTimeoutOption(value);
      draft.negativeTimeout = timeoutIsNegative(value);
      break;
    case KEY.byProcess: draft.byProcess = true; break;
    case 'e': draft.events = asMask(draft.events | parseEvents(value)); break;
    case 'a':
      if (draft.sortGivenByA) throw new UsageError(asBytes('Please specify -a or -d once only!'));
      draft.sort = parseSortValue(value, false);
      draft.sortGivenByA = true; // only -a sets it: `-d x -a y` is accepted, `-a x -d y` is not
      break;
    case 'd':
      if (draft.sortGivenByA) throw new UsageError(asBytes('Please specify -a or -d once only!'));
      draft.sort = parseSortValue(value, true);
      break;
    case KEY.fromfile:
      if (draft.fromfile !== undefined) throw new UsageError(asBytes('Multiple --fromfile options given.'));
      draft.fromfile = value;
      break;
    case KEY.exclude: case KEY.excludei: case KEY.include: case KEY.includei:
      draft.regex.set(option.key, value);
      break;
    case KEY.perFile: draft.perFile = true; break;
    case KEY.table: draft.formats.push('table'); break;
    case KEY.json: draft.formats.push('json'); break;
    case KEY.csv: draft.formats.push('csv'); break;
    case KEY.interval: draft.interval = parseInterval(value); break;
    case KEY.live: draft.live = true; break;
    case KEY.rescan: draft.rescan = true; break;
    case KEY.noRescan: draft.rescan = false; break;
    case KEY.rescanOnOverflow: draft.rescanOnOverflow = true; break;
    case KEY.backend: draft.backend = parseBackend(value); break;
    case KEY.since:
      if (draft.since !== undefined) throw new UsageError(asBytes('Multiple --since options given.'));
      if (value === '') throw new UsageError(asBytes('--since needs the name of a state file.'));
      draft.since = value;
      break;
    default: throw new Error(`unhandled option ${option.spelling}`);
  }
}

function parseEvents(value: ByteString): EventMask {
  const parsed = parseEventOption(value);
  if (parsed.error !== undefined) throw new UsageError(fromText(parsed.error));
  return parsed.mask;
}

const BACKENDS: readonly BackendChoice[] = ['inotify', 'fanotify', 'parcel', 'auto'];

function parseBackend(value: ByteString): BackendChoice {
  const choice = BACKENDS.find((b) => b === value);
  if (choice === undefined) throw new UsageError(asBytes(`'${value}' is not a valid backend!  Please use inotify, fanotify, parcel or auto.`));
  return choice;
}

function parseInterval(value: ByteString): number {
  const seconds = /^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new UsageError(asBytes(`'${value}' is not a valid interval.\nPlease specify a number of seconds greater than 0.`));
  }
  return seconds;
}

function finish(draft: Draft, watched: EventMask, sort: SortOrder, operands: readonly ByteString[]): InotifywatchOptions {
  const formats = [...new Set(draft.formats)];
  if (formats.length > 1) throw new UsageError(asBytes('Only one of --table, --json and --csv can be given.'));
  if (draft.byProcess && draft.perFile) throw new UsageError(asBytes('--by-process and --per-file cannot both be given.'));
  if (draft.byProcess && draft.backend !== 'fanotify') {
    throw new UsageError(asBytes('--by-process needs fanotify (-F, -S or fsnotifywatch): inotify does not say who caused an event.'));
  }
  return {
    events: watched,
    recursive: draft.recursive,
    verbose: draft.verbose,
    zero: draft.zero,
    noDereference: draft.noDereference,
    timeout: draft.timeout,
    sort,
    fromfile: draft.fromfile,
    regex: draft.regex,
    operands,
    perFile: draft.perFile,
    format: formats[0] ?? 'classic',
    interval: draft.interval ?? (draft.live ? LIVE_DEFAULT_INTERVAL : undefined),
    live: draft.live,
    rescan: draft.rescan,
    rescanOnOverflow: draft.rescanOnOverflow,
    backend: draft.backend,
    filesystem: draft.filesystem,
    negativeTimeout: draft.negativeTimeout,
    byProcess: draft.byProcess,
    since: draft.since,
  };
}
