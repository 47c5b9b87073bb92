/**
 * Options that pick what procwatch does (search is the default), and the options of two modes.
 * Modes: search (pgrep), --pidof, -m (event stream), --stats, --wait-exit (pidwait), --wait-start, --ensure.
 */
import type { ByteString } from '@inotifykit/event-core';
import { asBytes, toText } from '@inotifykit/event-core';
import type { CommandLine, OptionSpec } from '@inotifykit/cli-kit/options';
import { UsageError } from '../errors.js';
import { MAX_TIMER_MS } from '../modes/deadline.js';
import { listValues, parsePids, seconds } from './values.js';

const modes = 'Modes';
const ensure = 'Keeping alive (--ensure)';
const pidof = 'pidof (--pidof)';

export const modeOptions: readonly OptionSpec[] = [
  { long: 'monitor', short: 'm', group: modes, description: 'stream START and EXIT events of matching processes' },
  {
    long: 'stats',
    group: modes,
    description: 'count execs and exits per program for -t SECONDS (or until interrupted), then print a table',
  },
  {
    long: 'pidof',
    value: { name: 'NAME', kind: 'process' },
    repeatable: true,
    group: modes,
    description: 'pidof mode: PIDs of the named programs (this NAME and the operands), newest first, on one line',
  },
  {
    long: 'wait-exit',
    value: { name: 'PID', kind: 'pid', list: true },
    repeatable: true,
    group: modes,
    description: 'wait until all the given PIDs (this one and the operands) have exited (like pidwait)',
  },
  {
    long: 'wait-start',
    value: { name: 'PATTERN', kind: 'process' },
    group: modes,
    description: 'wait until a process matching PATTERN runs, then print its PID',
  },
  {
    long: 'ensure',
    value: { name: 'PATTERN', kind: 'process' },
    group: modes,
    description: 'keep a process matching PATTERN running: start COMMAND (after -e) when none does',
  },
];

/** --ensure's own options. */
export const ensureOptions: readonly OptionSpec[] = [
  {
    long: 'exec',
    short: 'e',
    endsOptions: true,
    group: ensure,
    description: 'with --ensure, the command to start and its arguments (must be the last option)',
  },
  {
    long: 'backoff-min',
    value: { name: 'SECONDS', kind: 'number' },
    group: ensure,
    description: 'first restart delay after a quick exit, seconds (default 1)',
  },
  { long: 'backoff-max', value: { name: 'SECONDS', kind: 'number' }, group: ensure, description: 'longest restart delay, seconds (default 60)' },
  {
    long: 'stable',
    value: { name: 'SECONDS', kind: 'number' },
    group: ensure,
    description: 'a run this long (seconds) is not a crash: the back-off resets (default 10)',
  },
];

/** --pidof's own options. */
export const pidofOptions: readonly OptionSpec[] = [
  { long: 'single-shot', group: pidof, description: 'only one PID per name' },
  {
    long: 'omit-pid',
    value: { name: 'PIDS', kind: 'pid', list: true },
    repeatable: true,
    group: pidof,
    description: 'never report these PIDs (comma-separated)',
  },
];

export type Mode =
  | { readonly kind: 'search' }
  | { readonly kind: 'pidof'; readonly names: ByteString[] }
  | { readonly kind: 'monitor' }
  | { readonly kind: 'stats'; readonly perUser: boolean }
  | { readonly kind: 'wait-exit'; readonly pids: number[] }
  | { readonly kind: 'wait-start' }
  | { readonly kind: 'ensure'; readonly command: string[] };

export interface EnsureOptions {
  backoffMinMs: number;
  backoffMaxMs: number;
  stableMs: number;
}

export interface PidofOptionsArgs {
  singleShot: boolean;
  omit: Set<number>;
}

/**
 * The mode, from the mode flags and the operands, and the patterns: --wait-start and --ensure contribute
 * their PATTERN; --pidof and --wait-exit take the operands as more names or PIDs.
 */
export function resolveMode(line: CommandLine): { mode: Mode; patterns: ByteString[] } {
  const operands = [...line.operands];
  const chosen = [
    line.flag('monitor') && '-m',
    line.flag('stats') && '--stats',
    line.has('pidof') && '--pidof',
    line.has('wait-exit') && '--wait-exit',
    line.has('wait-start') && '--wait-start',
    line.has('ensure') && '--ensure',
  ].filter((m): m is string => typeof m === 'string');
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be used together`);
  if (line.rest !== undefined && !line.has('ensure')) throw new UsageError('-e COMMAND is only used with --ensure');
  if (line.has('pidof')) return { mode: { kind: 'pidof', names: [...line.values('pidof'), ...operands] }, patterns: [] };
  if (line.has('wait-exit')) {
    const pids = parsePids([...listValues(line.values('wait-exit')), ...operands], '--wait-exit');
    return { mode: { kind: 'wait-exit', pids }, patterns: [] };
  }
  const waitStart = line.value('wait-start');
  if (waitStart !== undefined) return { mode: { kind: 'wait-start' }, patterns: [waitStart, ...operands] };
  const ensure = line.value('ensure');
  if (ensure !== undefined) {
    if (line.rest === undefined || line.rest.length === 0) {
      throw new UsageError('--ensure needs a command to start: --ensure PATTERN -e COMMAND [ARG...]');
    }
    // Started through Node's spawn, which takes text.
    return { mode: { kind: 'ensure', command: line.rest.map(toText) }, patterns: [ensure, ...operands] };
  }
  if (line.flag('stats')) return { mode: { kind: 'stats', perUser: line.flag('per-user') }, patterns: operands };
  if (line.flag('per-user')) throw new UsageError('--per-user is only used with --stats');
  if (line.has('events') && !line.flag('monitor')) throw new UsageError('--events is only used with -m');
  return { mode: line.flag('monitor') ? { kind: 'monitor' } : { kind: 'search' }, patterns: operands };
}

export function resolveEnsure(line: CommandLine): EnsureOptions {
  const options = {
    // A restart delay beyond Node's timer limit would fire at once: 24.8 days is as good.
    backoffMinMs: Math.min(seconds(line.value('backoff-min'), '--backoff-min', 1), MAX_TIMER_MS),
    backoffMaxMs: Math.min(seconds(line.value('backoff-max'), '--backoff-max', 60), MAX_TIMER_MS),
    stableMs: seconds(line.value('stable'), '--stable', 10, true),
  };
  if (options.backoffMaxMs < options.backoffMinMs) throw new UsageError('--backoff-max must not be less than --backoff-min');
  return options;
}

export function resolvePidof(line: CommandLine): PidofOptionsArgs {
  const omit = listValues(line.values('omit-pid')).flatMap((v) => v.split(/[;:]/).filter((p) => p !== '').map(asBytes));
  return { singleShot: line.flag('single-shot'), omit: new Set(parsePids(omit, '--omit-pid')) };
}
