/**
 * inotifywait's `parse_opts`, step for step: options are applied in the order given, some end parsing at
 * once (`-h`, `-f`, a bad `-t`/`-e`, a repeated `--outfile`/`--fromfile`); after the loop (also after a
 * getopt error) come the consistency checks in inotify-tools' order, then the repeated-`--exclude` warning.
 * Pure: nothing is printed here; the result says what to print.
 */
import type { ByteString } from '@inotifykit/event-core';
import { getopt } from '@inotifykit/cli-kit';
import type { PathRule } from '@inotifykit/cli-kit';
import { RegexOptions } from '@inotifykit/cli-kit';
import { parseTimeoutOption, timeoutIsNegative } from '@inotifykit/cli-kit';
import { UsageError } from '@inotifykit/cli-kit';
import type { EventMask } from '@inotifykit/event-core';
import { NO_EVENTS, asMask, fromText } from '@inotifykit/event-core';
import { parseEventOption } from '@inotifykit/cli-kit';
import type { BackendChoice } from '@inotifykit/event-core';
import type { Program } from './cli-spec.js';
import { PROGRAM, getoptSpec } from './cli-spec.js';
import { asBytes } from '@inotifykit/event-core';

export interface InotifywaitOptions {
  /** `-e` as given; 0 means every event (IN_ALL_EVENTS). */
  readonly events: EventMask;
  readonly monitor: boolean;
  /** `-q` count: 1 hides the setup lines, 2 also the events. */
  readonly quiet: number;
  /** Seconds; 0 = no timeout. */
  readonly timeout: number;
  readonly recursive: boolean;
  readonly csv: boolean;
  readonly daemon: boolean;
  readonly syslog: boolean;
  readonly noDereference: boolean;
  readonly format: ByteString | undefined;
  readonly noNewline: boolean;
  readonly timefmt: ByteString | undefined;
  readonly fromfile: ByteString | undefined;
  readonly outfile: ByteString | undefined;
  /** The classic single-slot `--exclude/--include` regex. */
  readonly regex: RegexOptions;
  /** Extension rules (`--exclude-glob` …), in order. */
  readonly rules: readonly PathRule[];
  readonly json: boolean;
  /** `--ready[=FD]`: the fd for the readiness line. */
  readonly ready: number | undefined;
  /** Report the contents of new directories (default); `--no-rescan` turns it off. */
  readonly rescan: boolean;
  readonly exitOnUnwatched: boolean;
  readonly overflowWarning: boolean;
  /** `--rescan-on-overflow`: after a queue overflow, re-read the trees and report new directories. */
  readonly rescanOnOverflow: boolean;
  /** `--backend`: what watches (`auto`, the default, is inotify on Linux); -F/-S make it fanotify. */
  readonly backend: BackendChoice;
  /** `-S`: fanotify with a filesystem mark, what happens below each path (implies -r). */
  readonly filesystem: boolean;
  /** `-t` below zero: with fanotify, abort once the watches are set up (4.x's support probe). */
  readonly negativeTimeout: boolean;
  /** The name the tool was called by. */
  readonly program: Program;
  /**
   * `--since FILE`: first print what changed while nothing watched (from FILE's snapshots), and save the
   * state to FILE. As typed (bytes); undefined without the option.
   */
  readonly since: ByteString | undefined;
  /** Paths and `@exclusions`, as typed. */
  readonly operands: readonly ByteString[];
}

export type ParseResult =
  | { readonly ok: true; readonly options: InotifywaitOptions; readonly warnings: readonly string[] }
  | {
      readonly ok: false;
      /** Print the help text on stdout (`-h`). */
      readonly help?: true;
      /** Print the version line on stdout (`--version`, an extension). */
      readonly version?: true;
      /** Lines for stderr, in order. */
      readonly stderr: readonly ByteString[];
      readonly exitCode: number;
    };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const RULE_FLAGS: Readonly<Record<string, Omit<PathRule, 'pattern'>>> = {
  'exclude-regex': { action: 'exclude', syntax: 'regex', ignoreCase: false },
  'excludei-regex': { action: 'exclude', syntax: 'regex', ignoreCase: true },
  'include-regex': { action: 'include', syntax: 'regex', ignoreCase: false },
  'includei-regex': { action: 'include', syntax: 'regex', ignoreCase: true },
  'exclude-glob': { action: 'exclude', syntax: 'glob', ignoreCase: false },
  'excludei-glob': { action: 'exclude', syntax: 'glob', ignoreCase: true },
  'include-glob': { action: 'include', syntax: 'glob', ignoreCase: false },
  'includei-glob': { action: 'include', syntax: 'glob', ignoreCase: true },
};

const BACKENDS: readonly BackendChoice[] = ['inotify', 'fanotify', 'parcel', 'auto'];

const FILENAME_REMOVED =
  "The '--filename' option no longer exists.  The option it enabled in earlier\n" +
  'versions of inotifywait is now turned on by default.';

export function parseOptions(args: readonly ByteString[], program: Program = PROGRAM): ParseResult {
  const parsed = getopt(args, getoptSpec(program));
  const o: Mutable<InotifywaitOptions> = {
    events: NO_EVENTS,
    monitor: false,
    quiet: 0,
    timeout: 0,
    recursive: false,
    csv: false,
    daemon: false,
    syslog: false,
    noDereference: false,
    format: undefined,
    noNewline: false,
    timefmt: undefined,
    fromfile: undefined,
    outfile: undefined,
    regex: new RegexOptions(),
    rules: [],
    json: false,
    ready: undefined,
    rescan: true,
    exitOnUnwatched: false,
    overflowWarning: true,
    rescanOnOverflow: false,
    // fsnotifywait: fanotify unless -I (4.25 decides by basename(argv[0]) the same way).
    backend: program === PROGRAM ? 'auto' : 'fanotify',
    filesystem: false,
    negativeTimeout: false,
    program,
    since: undefined,
    operands: parsed.operands,
  };
  const rules: PathRule[] = [];
  const stop = (text: string): ParseResult => ({ ok: false, stderr: [asBytes(text)], exitCode: 1 });

  for (const { key, value } of parsed.options) {
    const arg = value ?? asBytes('');
    switch (key) {
      case 'h':
        return { ok: false, help: true, stderr: [], exitCode: 1 };
      case 'version':
        return { ok: false, version: true, stderr: [], exitCode: 0 };
      case 'm':
        o.monitor = true;
        break;
      case 'q':
        o.quiet += 1;
        break;
      case 'r':
        o.recursive = true;
        break;
      case 'c':
        o.csv = true;
        break;
      case 'd':
        o.daemon = o.monitor = o.syslog = true;
        break;
      case 's':
        o.syslog = true;
        break;
      case 'P':
        o.noDereference = true;
        break;
      // As 4.25 treats them (3.22's inotifywait accepted and ignored them; its fsnotifywait obeyed).
      case 'I':
        o.backend = 'inotify';
        o.filesystem = false;
        break;
      case 'F':
        o.backend = 'fanotify';
        break;
      case 'S':
        o.backend = 'fanotify';
        o.filesystem = true;
        break;
      case 'f':
        return stop(FILENAME_REMOVED);
      case 'format':
        o.format = arg; // the last one wins
        break;
      case 'no-newline':
        o.noNewline = true;
        break;
      case 'timefmt':
        o.timefmt = arg;
        break;
      case 'fromfile':
        if (o.fromfile !== undefined) return stop('Multiple --fromfile options given.');
        o.fromfile = arg;
        break;
      case 'o':
        if (o.outfile !== undefined) return stop('Multiple --outfile options given.');
        o.outfile = arg;
        break;
      case 'exclude':
      case 'excludei':
      case 'include':
      case 'includei':
        o.regex.set(key, arg);
        break;
      case 't':
        try {
          o.timeout = parseTimeoutOption(arg);
          o.negativeTimeout = timeoutIsNegative(arg);
        } catch (err) {
          return stop((err as UsageError).text);
        }
        break;
      case 'e':
        {
          const parsed = parseEventOption(arg);
          if (parsed.error !== undefined) return stop(parsed.error);
          o.events = asMask(o.events | parsed.mask);
        }
        break;
      case 'no-rescan':
        o.rescan = false;
        break;
      case 'json':
        o.json = true;
        break;
      case 'ready':
        if (value !== undefined && !/^[0-9]+$/.test(value)) return stop(`--ready: '${value}' is not a file descriptor number.`);
        o.ready = value === undefined ? 1 : Number(value);
        break;
      case 'exit-on-unwatched':
        o.exitOnUnwatched = true;
        break;
      case 'no-overflow-warning':
        o.overflowWarning = false;
        break;
      case 'rescan-on-overflow':
        o.rescanOnOverflow = true;
        break;
      case 'backend': {
        const choice = BACKENDS.find((b) => b === arg);
        if (choice === undefined) return stop(`'${arg}' is not a valid backend!  Please use inotify, fanotify, parcel or auto.`);
        o.backend = choice;
        break;
      }
      case 'since':
        if (o.since !== undefined) return stop('Multiple --since options given.');
        if (arg === '') return stop('--since needs the name of a state file.');
        o.since = arg;
        break;
      default: {
        const rule = RULE_FLAGS[key];
        if (!rule) throw new Error(`unhandled option ${key}`);
        rules.push({ ...rule, pattern: arg });
      }
    }
  }
  o.rules = rules;

  const stderr: ByteString[] = parsed.error ? [parsed.error.text] : [];
  const failed = (text: string): ParseResult => ({ ok: false, stderr: [...stderr, asBytes(text)], exitCode: 1 });
  try {
    o.regex.check();
  } catch (err) {
    return failed((err as UsageError).text);
  }
  if (o.csv && o.format !== undefined) return failed('-c and --format cannot both be specified.');
  if (o.format === undefined && o.noNewline) return failed('--no-newline cannot be specified without --format.');
  if (o.format === undefined && o.timefmt !== undefined) return failed('--timefmt cannot be specified without --format.');
  if (o.format !== undefined && o.format.includes('%T') && o.timefmt === undefined) {
    return failed('%T is in --format string, but --timefmt was not specified.');
  }
  if (o.daemon && o.outfile === undefined) return failed('-o must be specified with -d.');
  const warnings = o.regex.repeatWarnings();
  if (parsed.error) return { ok: false, stderr: [...stderr, ...warnings.map(fromText)], exitCode: 1 };
  // Our own checks: only reachable with our own flags.
  if (o.json && (o.csv || o.format !== undefined)) return failed('--json cannot be combined with -c or --format.');
  return { ok: true, options: o, warnings };
}
