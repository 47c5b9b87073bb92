/**
 * Every option dnotify knows, declared once: the parser, `--help` and the shell completion are made from
 * this table (cli-kit's option table).
 */
import type { OptionSpec, OptionTable } from '@inotifykit/cli-kit/options';

const change = 'What is a change (combinable; none given = --create --delete)';
const command = 'The command';
const directories = 'Directories';
const scheduling = 'Scheduling';
const other = 'Other';

const options: readonly OptionSpec[] = [
  { long: 'access', short: 'A', group: change, description: 'a file in the directory was read' },
  { long: 'modify', short: 'M', group: change, description: 'a file in the directory was written or truncated' },
  { long: 'create', short: 'C', group: change, description: 'a file was created in, or moved into, the directory' },
  { long: 'delete', short: 'D', group: change, description: 'a file was removed from, or moved out of, the directory' },
  { long: 'rename', short: 'R', group: change, description: 'a file in the directory was renamed, moved in or moved out' },
  { long: 'attrib', short: 'B', group: change, description: 'the directory or a file in it had its attributes changed' },
  { long: 'all', short: 'a', group: change, description: 'all of the above' },
  {
    long: 'execute',
    short: 'e',
    endsOptions: true,
    group: command,
    description:
      "run COMMAND with its arguments (must be the last option). Every `{}' in them is replaced by the directory " +
      "that changed. Default: echo {}. No shell is involved; for shell syntax use: -e sh -c '...' sh {}",
  },
  {
    long: 'json',
    group: command,
    description: 'instead of running a command, print one JSON object per change (docs/json.md)',
  },
  {
    long: 'file',
    short: 'f',
    value: { name: 'FILE', kind: 'file' },
    repeatable: true,
    group: directories,
    description: 'read directories from FILE, one per line (repeatable)',
  },
  { long: 'recursive', short: 'r', group: directories, description: 'also watch subdirectories, including ones created later' },
  {
    long: 'processes',
    short: 'p',
    value: { name: 'COUNT', kind: 'number' },
    group: scheduling,
    description: 'run at most COUNT commands at once (default 1; 0 or -1: no limit)',
  },
  {
    long: 'queue',
    short: 'q',
    value: { name: 'DEPTH', kind: 'number' },
    group: scheduling,
    description: 'let at most DEPTH changes wait while commands run (default -1: no limit); more are dropped with a warning',
  },
  { long: 'coalesce', group: scheduling, description: 'do not queue a directory that is already waiting' },
  {
    long: 'times',
    short: 't',
    value: { name: 'COUNT', kind: 'number' },
    group: scheduling,
    description: 'exit once the command has run COUNT times (with --json: COUNT objects printed)',
  },
  { long: 'once', short: 'o', group: scheduling, description: 'same as --times 1' },
  {
    long: 'background',
    short: 'b',
    group: other,
    description: 'run in the background: detach from the terminal and change to /, after making relative directories absolute',
  },
  { long: 'silent', short: 's', aliases: ['quiet'], group: other, description: 'no warnings when a command exits non-zero' },
  { long: 'help', group: other, description: 'display this help and exit' },
  { long: 'version', group: other, description: 'output version information and exit' },
];

/** `-e` ends the options even after `--` (the original's rule): a directory named `-e` is written `./-e`. */
export const DNOTIFY_OPTIONS: OptionTable = { options, endsOptionsAfterDoubleDash: true };
