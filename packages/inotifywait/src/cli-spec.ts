/** inotifywait's command line: glibc getopt tables as in 3.22.6 (order matters for ambiguity messages). */
import type { GetoptSpec, LongOption } from '@inotifykit/cli-kit';

/** The name glibc prints before option errors. We cannot see argv[0] (Node replaces it), and scripts call us by name. */
export const PROGRAM = 'inotifywait';

const classic = (name: string, argument: LongOption['argument'], key: string): LongOption => ({ name, argument, key });
const extension = (name: string, argument: LongOption['argument'] = 'none'): LongOption => ({
  name,
  argument,
  key: name,
  extension: true,
});

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
    extension('no-rescan'),
    extension('json'),
    extension('ready', 'optional'),
    extension('exit-on-unwatched'),
    extension('no-overflow-warning'),
    extension('rescan-on-overflow'),
    extension('exclude-regex', 'required'),
    extension('excludei-regex', 'required'),
    extension('include-regex', 'required'),
    extension('includei-regex', 'required'),
    extension('exclude-glob', 'required'),
    extension('excludei-glob', 'required'),
    extension('include-glob', 'required'),
    extension('includei-glob', 'required'),
    // Extensions never capture an upstream abbreviation: `--s` stays `--syslog`.
    extension('backend', 'required'),
    extension('since', 'required'),
    extension('version'),
  ],
};

/** The getopt table with the program's name in its messages (`fsnotifywait: invalid option -- 'x'`). */
export function getoptSpec(program: Program): GetoptSpec {
  return program === PROGRAM ? INOTIFYWAIT_GETOPT : { ...INOTIFYWAIT_GETOPT, program };
}
