/**
 * inotifywatch's command line for getopt: 3.22.6's short string and long-option table (in its order, which
 * ambiguity messages follow), then the extensions. Extensions never capture an upstream abbreviation.
 */
import type { GetoptSpec, LongOption } from '@inotifykit/cli-kit';

/** Keys of the long-only options (upstream's own internal letters would be meaningless here). */
export const KEY = {
  fromfile: 'fromfile',
  exclude: 'exclude',
  excludei: 'excludei',
  include: 'include',
  includei: 'includei',
  perFile: 'per-file',
  table: 'table',
  json: 'json',
  csv: 'csv',
  interval: 'interval',
  live: 'live',
  rescan: 'rescan',
  noRescan: 'no-rescan',
  rescanOnOverflow: 'rescan-on-overflow',
  backend: 'backend',
  since: 'since',
  byProcess: 'by-process',
  version: 'version',
} as const;

const UPSTREAM: readonly LongOption[] = [
  { name: 'help', argument: 'none', key: 'h' },
  { name: 'event', argument: 'required', key: 'e' },
  { name: 'timeout', argument: 'required', key: 't' },
  { name: 'verbose', argument: 'none', key: 'v' },
  { name: 'zero', argument: 'none', key: 'z' },
  { name: 'ascending', argument: 'required', key: 'a' },
  { name: 'descending', argument: 'required', key: 'd' },
  { name: 'recursive', argument: 'none', key: 'r' },
  { name: 'inotify', argument: 'none', key: 'I' },
  { name: 'fanotify', argument: 'none', key: 'F' },
  { name: 'filesystem', argument: 'none', key: 'S' },
  { name: 'no-dereference', argument: 'none', key: 'P' },
  { name: 'fromfile', argument: 'required', key: KEY.fromfile },
  { name: 'exclude', argument: 'required', key: KEY.exclude },
  { name: 'excludei', argument: 'required', key: KEY.excludei },
  { name: 'include', argument: 'required', key: KEY.include },
  { name: 'includei', argument: 'required', key: KEY.includei },
];

const EXTENSIONS: readonly LongOption[] = [
  { name: 'per-file', argument: 'none', key: KEY.perFile, extension: true },
  { name: 'table', argument: 'none', key: KEY.table, extension: true },
  { name: 'json', argument: 'none', key: KEY.json, extension: true },
  { name: 'csv', argument: 'none', key: KEY.csv, extension: true },
  { name: 'interval', argument: 'required', key: KEY.interval, extension: true },
  { name: 'live', argument: 'none', key: KEY.live, extension: true },
  { name: 'rescan', argument: 'none', key: KEY.rescan, extension: true },
  { name: 'no-rescan', argument: 'none', key: KEY.noRescan, extension: true },
  { name: 'rescan-on-overflow', argument: 'none', key: KEY.rescanOnOverflow, extension: true },
  // No upstream long option starts with b or s, so `--ba`/`--si` mean these and nothing else (`--b` is
  // ambiguous between --backend and --by-process).
  { name: 'backend', argument: 'required', key: KEY.backend, extension: true },
  { name: 'since', argument: 'required', key: KEY.since, extension: true },
  { name: 'by-process', argument: 'none', key: KEY.byProcess, extension: true },
  // `--ver` is still `--verbose`: abbreviations reach an extension only when no upstream option matches.
  { name: 'version', argument: 'none', key: KEY.version, extension: true },
];

export const PROGRAM = 'inotifywatch';
/** The two names this program answers to: fsnotifywatch watches with fanotify by default (as in 4.25). */
export const PROGRAMS = ['inotifywatch', 'fsnotifywatch'] as const;
export type Program = (typeof PROGRAMS)[number];

export const GETOPT_SPEC: GetoptSpec = {
  shortOptions: 'hrPa:d:zve:t:IFS',
  longOptions: [...UPSTREAM, ...EXTENSIONS],
  program: PROGRAM,
};
