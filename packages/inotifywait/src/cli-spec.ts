/** inotifywait's command line: glibc getopt tables as in 3.22.6 (order matters for ambiguity messages). */
import type { ExtensionTable, GetoptSpec, LongOption } from '@inotifykit/cli-kit';
import { WATCH_KIND_OPTIONS, extensionLongOptions } from '@inotifykit/cli-kit';
import { BACKEND_CHOICES } from '@inotifykit/event-core';

/** The name glibc prints before option errors. We cannot see argv[0] (Node replaces it), and scripts call us by name. */
export const PROGRAM = 'inotifywait';

const classic = (name: string, argument: LongOption['argument'], key: string): LongOption => ({ name, argument, key });

const regex = { name: '<re>' };
const glob = { name: '<glob>' };

/**
 * Our options, each declared once: getopt's long options below, the extension section of `--help`
 * (help.ts) and shell completion (scripts/completion.mjs) are made from this table.
 */
export const INOTIFYWAIT_EXTENSIONS: ExtensionTable = [
  {
    options: [{ long: 'no-rescan' }],
    description:
      'Do not report files created in a new directory before it was watched (inotify-tools behaviour; they are reported by default).',
  },
  { options: [{ long: 'json' }], description: 'Print one JSON object per event.' },
  {
    options: [{ long: 'ready', value: { name: 'FD', optional: true } }],
    description: 'Write READY (a JSON object with --json) to stdout, or to file descriptor FD, once all watches are established.',
  },
  { options: [{ long: 'exit-on-unwatched' }], description: 'With --monitor, exit (status 0) once no watch remains.' },
  { options: [{ long: 'no-overflow-warning' }], description: 'Do not warn on stderr when the kernel queue overflowed.' },
  {
    options: [{ long: 'rescan-on-overflow' }],
    description: 'After a queue overflow, re-read the watched trees: watch and report the directories that appeared meanwhile.',
  },
  {
    options: [
      { long: 'exclude-regex', value: regex },
      { long: 'include-regex', value: regex },
      { long: 'excludei-regex', value: regex },
      { long: 'includei-regex', value: regex },
    ],
    description:
      'Repeatable rules matched against %w%f like --exclude; an event is printed when it matches no exclude rule and, if there are include rules, at least one of them.',
  },
  {
    options: [
      { long: 'exclude-glob', value: glob },
      { long: 'include-glob', value: glob },
      { long: 'excludei-glob', value: glob },
      { long: 'includei-glob', value: glob },
    ],
    description:
      'The same with shell globs (* ? [..] {a,b} **): a glob without / matches the last path component. Directories an exclude rule matches are not watched.',
  },
  {
    options: [{ long: 'backend', value: { choices: BACKEND_CHOICES } }],
    description:
      'What watches: inotify, fanotify, parcel (@parcel/watcher) or auto (the default: inotify on Linux; fanotify for fsnotifywait).',
  },
  {
    options: WATCH_KIND_OPTIONS,
    description:
      'Watch with inotify, with fanotify (needs CAP_SYS_ADMIN), or with one fanotify filesystem mark that reports what happens below each path (no per-directory watches). With fanotify, --format also takes %P (pid), %C (process name) and %U (uid); --json adds pid, comm and uid.',
  },
  {
    options: [{ long: 'since', value: { name: '<file>', kind: 'file' } }],
    description:
      'First print what changed while nothing watched (from the snapshots in <file>), then watch; save the state to <file> on exit and on SIGUSR2. A missing <file> is a first run.',
  },
  {
    options: [{ long: 'version' }],
    description: 'Print "{program} (inotifykit) VERSION" and exit (status 0; inotify-tools\' {program} has no such option).',
  },
];

/** The two names this program answers to: fsnotifywait watches with fanotify by default (as in 4.25). */
export const PROGRAMS = ['inotifywait', 'fsnotifywait'] as const;
export type Program = (typeof PROGRAMS)[number];

export const INOTIFYWAIT_GETOPT: GetoptSpec = {
  program: PROGRAM,
  shortOptions: 'mrhcdsPqt:fo:e:IFS',
  longOptions: [
    classic('help', 'none', 'h'),
    classic('event', 'required', 'e'),
    classic('monitor', 'none', 'm'),
    classic('quiet', 'none', 'q'),
    classic('timeout', 'required', 't'),
    classic('filename', 'none', 'f'),
    classic('recursive', 'none', 'r'),
    classic('csv', 'none', 'c'),
    classic('daemon', 'none', 'd'),
    classic('syslog', 'none', 's'),
    classic('inotify', 'none', 'I'),
    classic('fanotify', 'none', 'F'),
    classic('filesystem', 'none', 'S'),
    classic('no-dereference', 'none', 'P'),
    classic('format', 'required', 'format'),
    classic('no-newline', 'none', 'no-newline'),
    classic('timefmt', 'required', 'timefmt'),
    classic('fromfile', 'required', 'fromfile'),
    classic('outfile', 'required', 'o'),
    classic('exclude', 'required', 'exclude'),
    classic('excludei', 'required', 'excludei'),
    classic('include', 'required', 'include'),
    classic('includei', 'required', 'includei'),
    // Extensions never capture an upstream abbreviation: `--s` stays `--syslog` (getopt.ts).
    ...extensionLongOptions(INOTIFYWAIT_EXTENSIONS),
  ],
};

/** The getopt table with the program's name in its messages (`fsnotifywait: invalid option -- 'x'`). */
export function getoptSpec(program: Program): GetoptSpec {
  return program === PROGRAM ? INOTIFYWAIT_GETOPT : { ...INOTIFYWAIT_GETOPT, program };
}
