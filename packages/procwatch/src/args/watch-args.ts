/** Options that say how watching behaves: timeout, where new processes come from, what -m reports. */
import type { ByteString } from '@inotifykit/event-core';
import type { CommandLine, OptionSpec } from '@inotifykit/cli-kit/options';
import { UsageError } from '../errors.js';
import { MAX_TIMER_MS } from '../modes/deadline.js';
import type { SourceChoice } from '../watch/choose-source.js';
import { DEFAULT_KINDS, SELECTABLE_KINDS, type ProcEventKind } from '../watch/proc-event.js';
import { invalidValue, listValues, seconds } from './values.js';

const group = 'Watching';
const SOURCES = ['connector', 'scan', 'auto'] as const;

export const watchOptions: readonly OptionSpec[] = [
  {
    long: 'timeout',
    short: 't',
    value: { name: 'SECONDS', kind: 'number' },
    group,
    description: 'give up after SECONDS (exit 2); with -m, SECONDS without an event',
  },
  {
    long: 'source',
    value: { name: 'SOURCE', choices: SOURCES },
    group,
    description:
      'how new processes are found: connector (kernel process events), scan (/proc every --interval), ' +
      'auto (default: connector if it can be had)',
  },
  {
    long: 'events',
    value: { name: 'KINDS', choices: [...SELECTABLE_KINDS.map((k) => k.toLowerCase()), 'all'], list: true },
    repeatable: true,
    group,
    description: 'with -m, the kinds to report: start, exit, fork, uid, gid, comm, all (comma-separated; default start,exit)',
  },
  {
    long: 'receive-buffer',
    value: { name: 'BYTES', kind: 'number' },
    group,
    description: "the proc connector's socket buffer, bytes (default 8 MiB): smaller loses events sooner in a burst",
  },
  { long: 'per-user', group, description: 'with --stats, one row per user instead of per program' },
  {
    long: 'interval',
    value: { name: 'SECONDS', kind: 'number' },
    group,
    description: 'seconds between /proc scans for new processes (default 0.25)',
  },
  { long: 'pidfd', negatable: true, group, description: 'detect exits with pidfds (the default); --no-pidfd polls /proc instead' },
  { long: 'existing', group, description: 'with -m, report already running matches as START events' },
];

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

function resolveBytes(text: ByteString | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\+?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value <= 0 || value > 2 ** 31 - 1) {
    throw invalidValue('--receive-buffer', text, '--receive-buffer takes a positive number of bytes.');
  }
  return value;
}

function resolveSource(value: ByteString | undefined): SourceChoice {
  if (value === undefined) return 'auto';
  if ((SOURCES as readonly string[]).includes(value)) return value as SourceChoice;
  throw invalidValue('--source', value, '--source takes connector, scan or auto.');
}

/** `--events start,fork` (repeatable, any case; `all`: every kind). */
function resolveKinds(values: readonly ByteString[]): ReadonlySet<ProcEventKind> {
  if (values.length === 0) return new Set(DEFAULT_KINDS);
  const kinds = new Set<ProcEventKind>();
  for (const word of listValues(values)) {
    const name = word.trim().toUpperCase();
    if (name === 'ALL') SELECTABLE_KINDS.forEach((k) => kinds.add(k));
    else if ((SELECTABLE_KINDS as readonly string[]).includes(name)) kinds.add(name as ProcEventKind);
    else throw invalidValue('event kind', word, `--events takes ${SELECTABLE_KINDS.map((k) => k.toLowerCase()).join(', ')} or all.`);
  }
  return kinds;
}

export function resolveWatch(line: CommandLine): WatchOptions {
  const timeout = seconds(line.value('timeout'), '-t', 0, true);
  return {
    // A scan interval beyond Node's timer limit would fire at once: 24.8 days is as good.
    intervalMs: Math.min(seconds(line.value('interval'), '--interval', 0.25), MAX_TIMER_MS),
    // -t 0 (and no -t) means no timeout, as in inotifywait.
    timeoutMs: timeout === 0 ? undefined : timeout,
    pidfd: line.flag('pidfd', true),
    existing: line.flag('existing'),
    source: resolveSource(line.value('source')),
    receiveBufferBytes: resolveBytes(line.value('receive-buffer')),
    kinds: resolveKinds(line.values('events')),
  };
}

/** The kinds only the connector sees; asking for them with the /proc scan is bad usage. */
export function checkSourceKinds(watch: WatchOptions): void {
  if (watch.source === 'scan' && [...watch.kinds].some((k) => !['START', 'EXIT'].includes(k))) {
    throw new UsageError('--events fork, uid, gid and comm need --source=connector (the /proc scan cannot see them)');
  }
}
