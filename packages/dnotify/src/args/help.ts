/** `--help` (made from the option table) and `--version`. */
import { packageVersion, versionLine } from '@inotifykit/cli-kit';
import { helpText } from '@inotifykit/cli-kit/options';
import { DNOTIFY_OPTIONS } from './option-table.js';

export function help(): string {
  return helpText(DNOTIFY_OPTIONS, {
    head: 'Usage: dnotify [OPTION]... DIRECTORY... [-e COMMAND...]\nExecute a command every time the contents of a directory change.\n',
    foot:
      'On SIGINT or SIGTERM no new command is started; running ones get the signal\n' +
      '(their whole process group) and dnotify exits when they have finished.\n',
  });
}

export function versionText(): string {
  return `${versionLine('dnotify', packageVersion('@inotifykit/dnotify', import.meta.url))}A dnotify-compatible command on inotify.\n`;
}
