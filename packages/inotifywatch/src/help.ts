/** `--help`: inotifywatch 3.22.6's text (to stdout; the exit status is 1, as upstream), then the extensions. */
import { packageVersion } from '@inotifykit/cli-kit';

const UPSTREAM_VERSION = '3.22.6.0';

export function helpText(): string {
  return `inotifywatch ${UPSTREAM_VERSION} (inotifykit ${packageVersion('@inotifykit/inotifywatch', import.meta.url)})
Gather filesystem usage statistics using inotifywatch.
Usage: inotifywatch [ options ] file1 [ file2 ] [ ... ]
Options:
\t-h|--help    \tShow this help text.
\t-v|--verbose \tBe verbose.
\t@<file>       \tExclude the specified file from being watched.
\t--fromfile <file>
\t\tRead files to watch from <file> or \`-' for stdin.
\t--exclude <pattern>
\t\tExclude all events on files matching the extended regular
\t\texpression <pattern>.
\t--excludei <pattern>
\t\tLike --exclude but case insensitive.
\t--include <pattern>
\t\tExclude all events on files except the ones
\t\tmatching the extended regular expression
\t\t<pattern>.
\t--includei <pattern>
\t\tLike --include but case insensitive.
\t-z|--zero
\t\tIn the final table of results, output rows and columns even
\t\tif they consist only of zeros (the default is to not output
\t\tthese rows and columns).
\t-r|--recursive\tWatch directories recursively.
\t-P|--no-dereference
\t\tDo not follow symlinks.
\t-t|--timeout <seconds>
\t\tListen only for specified amount of time in seconds; if
\t\tomitted or zero, inotifywatch will execute until receiving an
\t\tinterrupt signal.
\t-e|--event <event1> [ -e|--event <event2> ... ]
\t\tListen for specific event(s).  If omitted, all events are 
\t\tlistened for.
\t-a|--ascending <event>
\t\tSort ascending by a particular event, or \`total'.
\t-d|--descending <event>
\t\tSort descending by a particular event, or \`total'.

Options beyond inotify-tools:
\t--per-file\tOne row per file (the path named by each event) rather
\t\t\tthan per watched directory.
\t--table\t\tA boxed, aligned table with events per second and totals.
\t--json\t\tThe statistics as JSON (one document per line).
\t--csv\t\tThe statistics as CSV (RFC 4180).
\t--interval <seconds>
\t\tAlso print the statistics every <seconds> while collecting.
\t--live\t\tRedraw the statistics in place on a terminal (every second,
\t\tor every --interval).
\t--rescan\tRead each new directory once it is watched and count what
\t\tit already holds as created (upstream misses those files).
\t--no-rescan\tCount only what the kernel reports (the default).
\t--rescan-on-overflow
\t\tAfter a queue overflow, re-read the watched trees: watch and
\t\tcount the directories that appeared meanwhile.
\t--backend inotify|fanotify|parcel|auto
\t\tWatch through raw inotify, fanotify or @parcel/watcher (fewer
\t\tevents; the ones it cannot deliver are named at start-up).
\t\tauto (the default) is inotify on Linux, fanotify for
\t\tfsnotifywatch.
\t-I, -F, -S\tinotify, fanotify (needs CAP_SYS_ADMIN), or one fanotify
\t\tfilesystem mark counting what happens below each path.
\t--by-process\tWith fanotify: one row per program (process name) that
\t\tcaused the events, rather than per directory.
\t--since <file>
\t\tFirst count what was created, modified or deleted since the
\t\trun that saved <file>, then collect; the state is saved to
\t\t<file> on exit, every 60 seconds and on SIGUSR2.
\t--version\tPrint "inotifywatch (inotifykit) VERSION" and exit (status 0;
\t\tinotify-tools' inotifywatch has no such option).

Exit status:
\t0  -  Exited normally.
\t1  -  Some error occurred.

Events:
\taccess\t\tfile or directory contents were read
\tmodify\t\tfile or directory contents were written
\tattrib\t\tfile or directory attributes changed
\tclose_write\tfile or directory closed, after being opened in
\t           \twritable mode
\tclose_nowrite\tfile or directory closed, after being opened in
\t           \tread-only mode
\tclose\t\tfile or directory closed, regardless of read/write mode
\topen\t\tfile or directory opened
\tmoved_to\tfile or directory moved to watched directory
\tmoved_from\tfile or directory moved from watched directory
\tmove\t\tfile or directory moved to or from watched directory
\tmove_self\t\tA watched file or directory was moved.
\tcreate\t\tfile or directory created within watched directory
\tdelete\t\tfile or directory deleted within watched directory
\tdelete_self\tfile or directory was deleted
\tunmount\t\tfile system containing file or directory unmounted
`;
}
