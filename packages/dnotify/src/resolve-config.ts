/**
 * DnotifyArgs (what was typed) → DnotifyConfig (what runs): `-f` lists read, directories spelled as `{}`
 * will show them and checked, the command checked, and — for `-b`, which changes to `/` — relative paths
 * made absolute. The only place defaults are applied.
 */
import type { ByteString } from '@inotifykit/event-core';
import type { DnotifyArgs } from './args/parse.js';
import { UsageError } from './errors.js';
import { DEFAULT_COMMAND } from './run/command-template.js';
import { checkCommand } from './run/find-command.js';
import type { DnotifyConfig } from './session.js';
import { triggerMask } from './watch/event-selection.js';
import {
  absolutePath, checkDirectory, currentDirectory, normaliseDirectory, readDirectoryList,
} from './watch/directories.js';
import { asBytes } from '@inotifykit/event-core';

export function resolveConfig(args: DnotifyArgs): DnotifyConfig {
  const given = [...args.directories, ...args.directoryFiles.flatMap(readDirectoryList)];
  if (given.length === 0) throw new UsageError('no directory to watch');
  const cwd = args.background ? currentDirectory() : asBytes('');
  const directories = given.map((dir): ByteString => {
    checkDirectory(dir);
    return normaliseDirectory(args.background ? absolutePath(dir, cwd) : dir);
  });

  const command = [...(args.command ?? DEFAULT_COMMAND)];
  if (!args.json) checkCommand(command[0]!); // --json runs no command
  if (args.background && command[0]!.includes('/') && !command[0]!.startsWith('/') && !command[0]!.includes('{}')) {
    command[0] = absolutePath(command[0]!, cwd); // `./hook` must still be found from `/`
  }

  return {
    directories,
    triggerMask: triggerMask(args.kinds),
    recursive: args.recursive,
    command,
    limits: {
      processes: args.processes,
      queueDepth: args.queueDepth,
      coalesce: args.coalesce,
      times: args.times,
    },
    silent: args.silent,
    json: args.json,
  };
}
