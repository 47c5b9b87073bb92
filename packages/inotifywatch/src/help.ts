/**
 * `--help`: inotifywatch 3.22.6's text (to stdout; the exit status is 1, as upstream), with a section for
 * the extensions (made from their table) before "Exit status:". session.ts renames it for fsnotifywatch.
 */
import { extensionHelp, packageVersion } from '@inotifykit/cli-kit';
import { INOTIFYWATCH_EXTENSIONS, PROGRAM } from './args/spec.js';

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
${extensionHelp(INOTIFYWATCH_EXTENSIONS, 'inotifywatch', PROGRAM)}
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
