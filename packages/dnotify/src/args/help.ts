/** `--help` and `--version` texts. */
import { packageVersion, versionLine } from '@inotifykit/cli-kit';

export const HELP = `Usage: dnotify [OPTION]... DIRECTORY... [-e COMMAND...]
Execute a command every time the contents of a directory change.

What is a change (combinable; none given = --create --delete):
  -A, --access            a file in the directory was read
  -M, --modify            a file in the directory was written or truncated
  -C, --create            a file was created in, or moved into, the directory
  -D, --delete            a file was removed from, or moved out of, the directory
  -R, --rename            a file in the directory was renamed, moved in or moved out
  -B, --attrib            the directory or a file in it had its attributes changed
  -a, --all               all of the above

The command:
  -e, --execute COMMAND...
                          run COMMAND with its arguments (must be the last option).
                          Every \`{}' in them is replaced by the directory that
                          changed. Default: echo {}. No shell is involved; for
                          shell syntax use: -e sh -c '...' sh {}

Directories:
  -f, --file FILE         read directories from FILE, one per line (repeatable)
  -r, --recursive         also watch subdirectories, including ones created later

Scheduling:
  -p, --processes COUNT   run at most COUNT commands at once
                          (default 1; 0 or -1: no limit)
  -q, --queue DEPTH       let at most DEPTH changes wait while commands run
                          (default -1: no limit); more are dropped with a warning
      --coalesce          do not queue a directory that is already waiting
  -t, --times COUNT       exit once the command has run COUNT times
  -o, --once              same as --times 1

Other:
  -b, --background        run in the background: detach from the terminal and
                          change to /, after making relative directories absolute
  -s, --silent, --quiet   no warnings when a command exits non-zero
      --help              display this help and exit
      --version           output version information and exit

On SIGINT or SIGTERM no new command is started; running ones get the signal
(their whole process group) and dnotify exits when they have finished.
`;

export function versionText(): string {
  return `${versionLine('dnotify', packageVersion('@inotifykit/dnotify', import.meta.url))}A dnotify-compatible command on inotify.\n`;
}
