/**
 * Options that pick what procwatch does (search is the default) and how watching behaves.
 * Modes: search (pgrep), --pidof, -m (event stream), --wait-exit (pidwait), --wait-start, --ensure.
 */
import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import { listValues, parsePids } from './select-args.js';
import { DEFAULT_KINDS, SELECTABLE_KINDS, type ProcEventKind } from '../watch/proc-event.js';
import type { SourceChoice } from '../watch/choose-source.js';

const modes = 'Modes:';
const watching = 'Watching:';
const ensure = 'Keeping alive (--ensure):';
const pidof = 'pidof (--pidof):';

export const modeOptions = {
  monitor: { alias: 'm', type: 'boolean', group: modes, describe: 'stream START and EXIT events of matching processes' },
  stats: { type: 'boolean', group: modes, describe: 'count execs and exits per program for -t SECONDS (or until interrupted), then print a table' },
  pidof: { type: 'string', array: true, group: modes, describe: 'pidof mode: PIDs of the named programs, newest first, on one line' },
  'wait-exit': { type: 'string', array: true, group: modes, describe: 'wait until all the given PIDs have exited (like pidwait)' },
  'wait-start': { type: 'string', group: modes, describe: 'wait until a process matching PATTERN runs, then print its PID', requiresArg: true },
  ensure: { type: 'string', group: modes, describe: 'keep a process matching PATTERN running: start COMMAND (after -e) when none does', requiresArg: true },
  timeout: { alias: 't', type: 'number', group: watching, describe: 'give up after SECONDS (exit 2); with -m, SECONDS without an event', requiresArg: true },
  source: { type: 'string', group: watching, describe: 'how new processes are found: connector (kernel process events), scan (/proc every --interval), auto (default: connector if it can be had)', requiresArg: true },
  events: { type: 'string', group: watching, describe: 'with -m, the kinds to report: start, exit, fork, uid, gid, comm, all (comma-separated; default start,exit)', requiresArg: true },
  'receive-buffer': { type: 'number', group: watching, describe: "the proc connector's socket buffer, bytes (default 8 MiB): smaller loses events sooner in a burst", requiresArg: true },
  'per-user': { type: 'boolean', group: watching, describe: 'with --stats, one row per user instead of per program' },
  interval: { type: 'number', group: watching, describe: 'seconds between /proc scans for new processes (default 0.25)', requiresArg: true },
  pidfd: { type: 'boolean', default: true, group: watching, describe: 'detect exits with pidfds; --no-pidfd polls /proc instead' },
  existing: { type: 'boolean', group: watching, describe: 'with -m, report already running matches as START events' },
  'backoff-min': { type: 'number', group: ensure, describe: 'first restart delay after a quick exit, seconds (default 1)', requiresArg: true },
  'backoff-max': { type: 'number', group: ensure, describe: 'longest restart delay, seconds (default 60)', requiresArg: true },
  stable: { type: 'number', group: ensure, describe: 'a run this long (seconds) is not a crash: the back-off resets (default 10)', requiresArg: true },
  'single-shot': { type: 'boolean', group: pidof, describe: 'only one PID per name' },
  'omit-pid': { type: 'string', group: pidof, describe: 'never report these PIDs (comma-separated)', requiresArg: true },
} as const satisfies Record<string, Options>;

export interface ModeArgv {
  monitor?: boolean;
  stats?: boolean;
  source?: string | string[];
  events?: string | string[];
  'per-user'?: boolean;
  'receive-buffer'?: number;
  pidof?: string[];
  'wait-exit'?: string[];
  'wait-start'?: string;
  ensure?: string;
  timeout?: number;
  interval?: number;
  pidfd?: boolean;
  existing?: boolean;
  'backoff-min'?: number;
  'backoff-max'?: number;
  stable?: number;
  'single-shot'?: boolean;
  'omit-pid'?: string | string[];
}

export type Mode =
  | { readonly kind: 'search' }
  | { readonly kind: 'pidof'; readonly names: string[] }
  | { readonly kind: 'monitor' }
  | { readonly kind: 'stats'; readonly perUser: boolean }
  | { readonly kind: 'wait-exit'; readonly pids: number[] }
  | { readonly kind: 'wait-start' }
  | { readonly kind: 'ensure'; readonly command: string[] };

export interface WatchOptions {
  intervalMs: number;
  /** undefined: no timeout. */
  timeoutMs: number | undefined;
  pidfd: boolean;
  existing: boolean;
  source: SourceChoice;
  /** undefined: the connector's default. */
  receiveBufferBytes: number | undefined;
  /** The kinds -m reports. */
  kinds: ReadonlySet<ProcEventKind>;
}

export interface EnsureOptions {
  backoffMinMs: number;
  backoffMaxMs: number;
  stableMs: number;
}

export interface PidofOptionsArgs {
  singleShot: boolean;
  omit: Set<number>;
}

function seconds(value: number | undefined, name: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback * 1000;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(`invalid ${name}: ${value}`, `${name} takes a ${allowZero ? 'non-negative' : 'positive'} number of seconds.`);
  }
  return value * 1000;
}

/**
 * The mode, from the mode flags and the positional words. `patterns` is updated in place: --wait-start and
 * --ensure contribute their PATTERN; --wait-exit takes the positional words as more PIDs.
 */
export function resolveMode(argv: ModeArgv, positionals: string[], command: string[] | undefined): { mode: Mode; patterns: string[] } {
  const chosen = [
    argv.monitor && '-m',
    argv.stats && '--stats',
    argv.pidof !== undefined && '--pidof',
    argv['wait-exit'] !== undefined && '--wait-exit',
    argv['wait-start'] !== undefined && '--wait-start',
    argv.ensure !== undefined && '--ensure',
  ].filter((m): m is string => typeof m === 'string');
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be used together`);
  if (command !== undefined && argv.ensure === undefined) throw new UsageError('-e COMMAND is only used with --ensure');
  if (argv.pidof !== undefined) {
    const names = [...argv.pidof, ...positionals];
    return { mode: { kind: 'pidof', names }, patterns: [] };
  }
  if (argv['wait-exit'] !== undefined) {
    const pids = parsePids([...listValues(argv['wait-exit']), ...positionals], '--wait-exit');
    if (pids.length === 0) throw new UsageError('--wait-exit needs at least one PID');
    return { mode: { kind: 'wait-exit', pids }, patterns: [] };
  }
  if (argv['wait-start'] !== undefined) {
    return { mode: { kind: 'wait-start' }, patterns: [argv['wait-start'], ...positionals] };
  }
  if (argv.ensure !== undefined) {
    if (command === undefined || command.length === 0) {
      throw new UsageError('--ensure needs a command to start: --ensure PATTERN -e COMMAND [ARG...]');
    }
    return { mode: { kind: 'ensure', command }, patterns: [argv.ensure, ...positionals] };
  }
  if (argv.stats) return { mode: { kind: 'stats', perUser: argv['per-user'] ?? false }, patterns: positionals };
  if (argv['per-user']) throw new UsageError('--per-user is only used with --stats');
  if (argv.events !== undefined && !argv.monitor) throw new UsageError('--events is only used with -m');
  return { mode: argv.monitor ? { kind: 'monitor' } : { kind: 'search' }, patterns: positionals };
}

export function resolveWatch(argv: ModeArgv): WatchOptions {
  return {
    intervalMs: seconds(argv.interval, '--interval', 0.25),
    // -t 0 means no timeout, as in inotifywait.
    timeoutMs: argv.timeout === undefined || argv.timeout === 0 ? undefined : seconds(argv.timeout, '-t', 0, true),
    pidfd: argv.pidfd ?? true,
    existing: argv.existing ?? false,
    source: resolveSource(last(argv.source)),
    receiveBufferBytes: resolveBytes(argv['receive-buffer']),
    kinds: resolveKinds(argv.events),
  };
}

const last = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

function resolveBytes(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0 || value > 2 ** 31 - 1) throw new UsageError(`invalid --receive-buffer: ${value}`, '--receive-buffer takes a positive number of bytes.');
  return value;
}

function resolveSource(value: string | undefined): SourceChoice {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'connector' || value === 'scan') return value;
  throw new UsageError(`invalid --source: ${value}`, '--source takes connector, scan or auto.');
}

/** `--events start,fork` (repeatable, any case; `all`: every kind). */
function resolveKinds(value: string | string[] | undefined): ReadonlySet<ProcEventKind> {
  if (value === undefined) return new Set(DEFAULT_KINDS);
  const kinds = new Set<ProcEventKind>();
  for (const word of listValues(value)) {
    const name = word.trim().toUpperCase();
    if (name === 'ALL') SELECTABLE_KINDS.forEach((k) => kinds.add(k));
    else if ((SELECTABLE_KINDS as readonly string[]).includes(name)) kinds.add(name as ProcEventKind);
    else throw new UsageError(`invalid event kind: ${word}`, `--events takes ${SELECTABLE_KINDS.map((k) => k.toLowerCase()).join(', ')} or all.`);
  }
  return kinds;
}

export function resolveEnsure(argv: ModeArgv): EnsureOptions {
  const options = {
    backoffMinMs: seconds(argv['backoff-min'], '--backoff-min', 1),
    backoffMaxMs: seconds(argv['backoff-max'], '--backoff-max', 60),
    stableMs: seconds(argv.stable, '--stable', 10, true),
  };
  if (options.backoffMaxMs < options.backoffMinMs) throw new UsageError('--backoff-max must not be less than --backoff-min');
  return options;
}

export function resolvePidof(argv: ModeArgv): PidofOptionsArgs {
  const omit = listValues(argv['omit-pid']).flatMap((v) => v.split(/[;:]/)).filter((v) => v !== '');
  return { singleShot: argv['single-shot'] ?? false, omit: new Set(parsePids(omit, '--omit-pid')) };
}
