/**
 * One inotifywatch run, in upstream's order: options (and their errors), the regex, inotify, the path
 * list, `Establishing watches...`, the watches, `Finished establishing watches, now collecting
 * statistics.`, then collection until a signal or `-t`. Resolves with the exit status.
 */
import type { ByteString } from '@inotifykit/event-core';
// Subpath imports: the package index would also load the formatter and strftime (start-up time).
import { InotifyKitError, PatternError } from '@inotifykit/event-core/errors';
import { IN_CREATE, IN_DONT_FOLLOW, IN_MOVED_TO } from '@inotifykit/event-core/mask';
import { Watcher } from '@inotifykit/event-core/watcher';
import { buildPathList } from '@inotifykit/event-core/cli/path-list';
import { UsageError } from '@inotifykit/event-core/cli/usage-error';
import type { InotifywatchOptions } from '../args/options.js';
import { parseCommand } from '../args/options.js';
import { collectStatistics } from './collect.js';
import { DrainableBackend } from './drainable-backend.js';
import { establishWatches } from './establish.js';
import { openStdout, writeErr } from './output.js';
import { SignalPhases } from './signals.js';

export async function runInotifywatch(args: readonly ByteString[]): Promise<number> {
  const signals = new SignalPhases(writeErr);
  signals.setup();
  try {
    const command = parseCommand(args);
    if (command.kind === 'help') {
      const stdout = openStdout();
      const { helpText } = await import('../help.js');
      await stdout.write(Buffer.from(helpText(), 'utf8'));
      await stdout.drain();
      return 1;
    }
    return await watchAndCount(command.options, signals);
  } catch (err) {
    return reportError(err);
  }
}

async function watchAndCount(options: InotifywatchOptions, signals: SignalPhases): Promise<number> {
  const filter = options.regex.compile()?.filter;
  const backend = new DrainableBackend();
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
  if (options.verbose > 0) writeErr(`Total of ${watcher.watchCount} watches.\n`);
  writeErr('Finished establishing watches, now collecting statistics.\n');
  if (options.timeout > 0 && options.verbose > 0) writeErr(`Will listen for events for ${options.timeout} seconds.\n`);

  const stdout = openStdout();
  return collectStatistics({ watcher, backend, options, stdout, signals, writeErr });
}

/** Prints an error as inotifywatch does (message, then the hint line if any); returns the exit status. */
function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    writeErr(`${err.text}\n`);
    return err.exitCode;
  }
  if (err instanceof PatternError) {
    writeErr(`${err.message}\n`); // upstream says no more than this
    return err.exitCode;
  }
  if (err instanceof InotifyKitError) {
    writeErr(`${err.message}\n${err.hint === undefined ? '' : `${err.hint}\n`}`);
    return err.exitCode;
  }
  throw err;
}
