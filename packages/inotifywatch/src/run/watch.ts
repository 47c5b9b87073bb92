/**
 * The watching part of a run, in upstream's order: the regex, inotify, the path list, `Establishing
 * watches...`, the watches, `Finished establishing watches, now collecting statistics.`, then collection
 * until a signal or `-t`. Errors are thrown (typed) for session.ts to print.
 */
import { IN_CREATE, IN_DONT_FOLLOW, IN_MOVED_TO } from '@inotifykit/event-core/mask';
import { createBackend } from '@inotifykit/event-core/platform';
import { Watcher } from '@inotifykit/event-core/watcher';
import { buildPathList } from '@inotifykit/event-core/cli/path-list';
import { UsageError } from '@inotifykit/event-core/cli/usage-error';
import type { InotifywatchOptions } from '../args/options.js';
import { collectStatistics } from './collect.js';
import { establishWatches } from './establish.js';
import { openStdout, writeErr } from './output.js';
import type { SignalPhases } from './signals.js';

export async function watchAndCount(options: InotifywatchOptions, signals: SignalPhases): Promise<number> {
  const filter = options.regex.compile()?.filter;
  const backend = createBackend('auto'); // inotify_init: its errors come before the path list's
  const list = buildPathList(options.operands, options.fromfile, (message) => writeErr(`${message}\n`));
  if (list.paths.length === 0) throw new UsageError('No files specified to watch!');

  writeErr('Establishing watches...\n');
  const watcher = new Watcher({
    mask: options.events | (options.noDereference ? IN_DONT_FOLLOW : 0),
    recursive: options.recursive,
    // Upstream follows new directories only through the events it listens to: `-r -e modify` never does.
    followNewDirs: options.recursive && (options.events & (IN_CREATE | IN_MOVED_TO)) !== 0,
    rescanNewDirs: options.rescan,
    excludeDirs: list.exclusions,
    filter,
    backend,
  });
  await establishWatches(watcher, list.paths, options, writeErr);
  const announce = () => {
    if (options.verbose > 0) writeErr(`Total of ${watcher.watchCount} watches.\n`);
    writeErr('Finished establishing watches, now collecting statistics.\n');
    if (options.timeout > 0 && options.verbose > 0) writeErr(`Will listen for events for ${options.timeout} seconds.\n`);
  };
  return collectStatistics({ watcher, options, stdout: openStdout(), signals, writeErr, announce });
}

