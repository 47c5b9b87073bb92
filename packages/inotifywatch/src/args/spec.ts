/**
 * inotifywatch's command line for getopt: 3.22.6's short string and long-option table (in its order, which
 * ambiguity messages follow), then the extensions (from their table). Extensions never capture an upstream
 * abbreviation.
 */
import type { ExtensionTable, GetoptSpec, LongOption } from '@inotifykit/cli-kit';
import { WATCH_KIND_OPTIONS, extensionLongOptions } from '@inotifykit/cli-kit';
import { BACKEND_CHOICES } from '@inotifykit/event-core';

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

const seconds = { name: '<seconds>', kind: 'number' } as const;

/**
 * Our options, each declared once: getopt's long options (below), the "Options beyond inotify-tools"
 * section of `--help` (help.ts) and shell completion (scripts/completion.mjs) are made from this table.
 * No upstream long option starts with b or s, so `--ba`/`--si` mean --backend/--since and nothing else
 * (`--b` is ambiguous between --backend and --by-process); `--ver` is still `--verbose`: abbreviations
 * reach an extension only when no upstream option matches (getopt.ts).
 */
export const INOTIFYWATCH_EXTENSIONS: ExtensionTable = [
  { options: [{ long: KEY.perFile }], description: 'One row per file (the path named by each event) rather than per watched directory.' },
  { options: [{ long: KEY.table }], description: 'A boxed, aligned table with events per second and totals.' },
  { options: [{ long: KEY.json }], description: 'The statistics as JSON (one document per line).' },
  { options: [{ long: KEY.csv }], description: 'The statistics as CSV (RFC 4180).' },
  {
    options: [{ long: KEY.interval, value: seconds }],
    description: 'Also print the statistics every <seconds> while collecting.',
  },
  { options: [{ long: KEY.live }], description: 'Redraw the statistics in place on a terminal (every second, or every --interval).' },
  {
    options: [{ long: KEY.rescan }],
    description: 'Read each new directory once it is watched and count what it already holds as created (upstream misses those files).',
  },
  { options: [{ long: KEY.noRescan }], description: 'Count only what the kernel reports (the default).' },
  {
    options: [{ long: KEY.rescanOnOverflow }],
    description: 'After a queue overflow, re-read the watched trees: watch and count the directories that appeared meanwhile.',
  },
  {
    options: [{ long: KEY.backend, value: { choices: BACKEND_CHOICES } }],
    description:
      'Watch through raw inotify, fanotify or @parcel/watcher (fewer events; the ones it cannot deliver are named at start-up). auto (the default) is inotify on Linux, fanotify for fsnotifywatch.',
  },
  {
    options: WATCH_KIND_OPTIONS,
    description:
      'Watch with inotify, with fanotify (needs CAP_SYS_ADMIN), or with one fanotify filesystem mark counting what happens below each path.',
  },
  {
    options: [{ long: KEY.byProcess }],
    description: 'With fanotify: one row per program (process name) that caused the events, rather than per directory.',
  },
  {
    options: [{ long: KEY.since, value: { name: '<file>', kind: 'file' } }],
    description:
      'First count what was created, modified or deleted since the run that saved <file>, then collect; the state is saved to <file> on exit, every 60 seconds and on SIGUSR2.',
  },
  {
    options: [{ long: KEY.version }],
    description: 'Print "{program} (inotifykit) VERSION" and exit (status 0; inotify-tools\' {program} has no such option).',
  },
];

export const PROGRAM = 'inotifywatch';
/** The two names this program answers to: fsnotifywatch watches with fanotify by default (as in 4.25). */
export const PROGRAMS = ['inotifywatch', 'fsnotifywatch'] as const;
export type Program = (typeof PROGRAMS)[number];

export const GETOPT_SPEC: GetoptSpec = {
  shortOptions: 'hrPa:d:zve:t:IFS',
  longOptions: [...UPSTREAM, ...extensionLongOptions(INOTIFYWATCH_EXTENSIONS)],
  program: PROGRAM,
};
