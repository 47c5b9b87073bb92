import { extensionHelp } from '@inotifykit/cli-kit';
import { INOTIFYWAIT_EXTENSIONS } from './cli-spec.js';

/** inotifywait 3.22.6.0's `--help`, byte for byte (scripts read its first line to learn the version). */
export const CLASSIC_HELP =
  "inotifywait 3.22.6.0\n" +
  "Wait for a particular event on a file or set of files.\n" +
  "Usage: inotifywait [ options ] file1 [ file2 ] [ file3 ] [ ... ]\n" +
  "Options:\n" +
  "\t-h|--help     \tShow this help text.\n" +
  "\t@<file>       \tExclude the specified file from being watched.\n" +
  "\t--exclude <pattern>\n" +
  "\t              \tExclude all events on files matching the\n" +
  "\t              \textended regular expression <pattern>.\n" +
  "\t              \tOnly the last --exclude option will be\n" +
  "\t              \ttaken into consideration.\n" +
  "\t--excludei <pattern>\n" +
  "\t              \tLike --exclude but case insensitive.\n" +
  "\t--include <pattern>\n" +
  "\t              \tExclude all events on files except the ones\n" +
  "\t              \tmatching the extended regular expression\n" +
  "\t              \t<pattern>.\n" +
  "\t--includei <pattern>\n" +
  "\t              \tLike --include but case insensitive.\n" +
  "\t-m|--monitor  \tKeep listening for events forever or until --timeout expires.\n" +
  "\t              \tWithout this option, inotifywait will exit after one event is received.\n" +
  "\t-d|--daemon   \tSame as --monitor, except run in the background\n" +
  "\t              \tlogging events to a file specified by --outfile.\n" +
  "\t              \tImplies --syslog.\n" +
  "\t-P|--no-dereference\n" +
  "\t              \tDo not follow symlinks.\n" +
  "\t-r|--recursive\tWatch directories recursively.\n" +
  "\t--fromfile <file>\n" +
  "\t              \tRead files to watch from <file> or `-' for stdin.\n" +
  "\t-o|--outfile <file>\n" +
  "\t              \tPrint events to <file> rather than stdout.\n" +
  "\t-s|--syslog   \tSend errors to syslog rather than stderr.\n" +
  "\t-q|--quiet    \tPrint less (only print events).\n" +
  "\t-qq           \tPrint nothing (not even events).\n" +
  "\t--format <fmt>\tPrint using a specified printf-like format\n" +
  "\t              \tstring; read the man page for more details.\n" +
  "\t--no-newline  \tDon't print newline symbol after\n" +
  "\t              \t--format string.\n" +
  "\t--timefmt <fmt>\tstrftime-compatible format string for use with\n" +
  "\t              \t%T in --format string.\n" +
  "\t-c|--csv      \tPrint events in CSV format.\n" +
  "\t-t|--timeout <seconds>\n" +
  "\t              \tWhen listening for a single event, time out after\n" +
  "\t              \twaiting for an event for <seconds> seconds.\n" +
  "\t              \tIf <seconds> is zero, inotifywait will never time out.\n" +
  "\t-e|--event <event1> [ -e|--event <event2> ... ]\n" +
  "\t\tListen for specific event(s).  If omitted, all events are \n" +
  "\t\tlistened for.\n" +
  "\n" +
  "Exit status:\n" +
  "\t0  -  An event you asked to watch for was received.\n" +
  "\t1  -  An event you did not ask to watch for was received\n" +
  "\t      (usually delete_self or unmount), or some error occurred.\n" +
  "\t2  -  The --timeout option was given and no events occurred\n" +
  "\t      in the specified interval of time.\n" +
  "\n" +
  "Events:\n" +
  "\taccess\t\tfile or directory contents were read\n" +
  "\tmodify\t\tfile or directory contents were written\n" +
  "\tattrib\t\tfile or directory attributes changed\n" +
  "\tclose_write\tfile or directory closed, after being opened in\n" +
  "\t           \twritable mode\n" +
  "\tclose_nowrite\tfile or directory closed, after being opened in\n" +
  "\t           \tread-only mode\n" +
  "\tclose\t\tfile or directory closed, regardless of read/write mode\n" +
  "\topen\t\tfile or directory opened\n" +
  "\tmoved_to\tfile or directory moved to watched directory\n" +
  "\tmoved_from\tfile or directory moved from watched directory\n" +
  "\tmove\t\tfile or directory moved to or from watched directory\n" +
  "\tmove_self\t\tA watched file or directory was moved.\n" +
  "\tcreate\t\tfile or directory created within watched directory\n" +
  "\tdelete\t\tfile or directory deleted within watched directory\n" +
  "\tdelete_self\tfile or directory was deleted\n" +
  "\tunmount\t\tfile system containing file or directory unmounted\n";

/** Our additions, after the classic text so its bytes (and first line) stay as they were; from the table. */
export function extensionHelpText(program: string): string {
  return `\nExtensions (inotifykit; not in inotify-tools):\n${extensionHelp(INOTIFYWAIT_EXTENSIONS, 'inotifywait', program)}`;
}
