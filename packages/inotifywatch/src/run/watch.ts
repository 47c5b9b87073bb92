/**
 * The watching part of a run, in upstream's order: the regex, inotify, the path list, `Establishing
 * watches...`, the watches, `Finished establishing watches, now collecting statistics.`, then collection
 * until a signal or `-t`. Errors are thrown (typed) for session.ts to print.
 *
 * `--backend parcel` adds a notice of the events it cannot deliver before `Establishing watches...`;
 * `--since` reads its state file before that (a damaged one ends the run there) and replays before
 * `Finished establishing…`.
 */
import type { ByteString } from '@inotifykit/event-core';
import type { Backend } from '@inotifykit/event-core';
import type { InotifyKitError } from '@inotifykit/event-core';
import { IN_CREATE, IN_DONT_FOLLOW, IN_MOVED_TO, asMask } from '@inotifykit/event-core';
import type { PathFilter } from '@inotifykit/event-core';
import { loadBackend } from '@inotifykit/event-core';
import { Watcher } from '@inotifykit/event-core';
import { buildPathList } from '@inotifykit/cli-kit';
import { UsageError, errorText } from '@inotifykit/cli-kit';
import type { SinceSession } from '@inotifykit/event-core/since';
import type { InotifywatchOptions } from '../args/options.js';
import { collectStatistics } from './collect.js';
import { establishFilesystemWatches, establishWatches, watchFailure } from './establish.js';
import { openStdout, writeErr } from './output.js';
import type { SignalPhases } from './signals.js';
import { asBytes } from '@inotifykit/event-core';

/** With parcel, changes reach us in batches about 50 ms after they happen: the final print waits that out. */
const PARCEL_SETTLE_MS = 150;

export async function watchAndCount(options: InotifywatchOptions, signals: SignalPhases): Promise<number> {
  const filter = options.regex.compile()?.filter;
  // inotify_init (or loading @parcel/watcher): its errors come before the path list's.
  // Statistics runs are long and count every event: the reader thread starts at once (see event-core),
  // unless the engine hands events over as counts (a row per watch, no filter, no --since replay): a main
  // thread that only counts keeps up with the kernel, and the thread then starts only for a burst that
  // must be decoded (new directories under -r). fanotify reads each writer's name from /proc only for
  // --by-process's rows.
  const counts = !options.byProcess && !options.perFile && !filter && options.since === undefined;
  const backend = await loadBackend(options.backend, { readerThread: counts ? 'auto' : 'always', processInfo: options.byProcess });
  const list = buildPathList(options.operands, options.fromfile, (message) => writeErr(asBytes(`${message}\n`)));
  if (list.paths.length === 0) throw new UsageError(asBytes('No files specified to watch!'));

  const since = options.since === undefined ? undefined : await openState(options.since, list.paths, list.exclusions, options, filter);
  let watcher: Watcher;
  try {
    await noticeFor(backend, options);
    writeErr(asBytes('Establishing watches...\n'));
    const fanotify = backend.name === 'fanotify';
    // -S: one filesystem mark, counting what happens below each path (the tree, like -r).
    const recursive = options.recursive || (fanotify && options.filesystem);
    watcher = new Watcher({
      mask: asMask(options.events | (options.noDereference ? IN_DONT_FOLLOW : 0)),
      recursive,
      // Upstream follows new directories only through the events it listens to: `-r -e modify` never does.
      followNewDirs: recursive && (options.events & (IN_CREATE | IN_MOVED_TO)) !== 0,
      rescanNewDirs: options.rescan,
      recoverOverflow: options.rescanOnOverflow,
      excludeDirs: list.exclusions,
      filter,
      backend,
    });
    if (fanotify && options.filesystem) establishFilesystemWatches(watcher, list.paths, writeErr);
    else await establishWatches(watcher, list.paths, options, writeErr);
    await subscribed(backend);
    if (options.negativeTimeout && fanotify) {
      // 4.x's fanotify support probe: after the set-up lines, as there.
      if (options.verbose > 0) writeErr(asBytes(`Total of ${watcher.watchCount} watches.\n`));
      writeErr(asBytes('Finished establishing watches, now collecting statistics.\n'));
      throw new UsageError(asBytes('Negative timeout specified - abort!'));
    }
  } catch (err) {
    // Nothing was replayed: the state file stays as it was (close() before start() only tidies up).
    await since?.close().catch(() => undefined);
    throw err;
  }
  const announce = () => {
    if (options.verbose > 0) writeErr(asBytes(`Total of ${watcher.watchCount} watches.\n`));
    writeErr(asBytes('Finished establishing watches, now collecting statistics.\n'));
    if (options.timeout > 0 && options.verbose > 0) writeErr(asBytes(`Will listen for events for ${options.timeout} seconds.\n`));
  };
  const settleMs = backend.name === 'parcel' ? PARCEL_SETTLE_MS : 0;
  return collectStatistics({ watcher, options, stdout: openStdout(), signals, writeErr, announce, since, settleMs });
}

/** `--since`: the state file, read and checked before any watch exists (loads the parcel module only now). */
async function openState(
  file: ByteString,
  paths: readonly ByteString[],
  excludeDirs: Iterable<ByteString>,
  options: InotifywatchOptions,
  filter: PathFilter | undefined,
): Promise<SinceSession> {
  const { openSince } = await import('@inotifykit/event-core/since');
  return openSince(file, paths, {
    requested: options.events,
    recursive: options.recursive,
    excludeDirs,
    filter,
    // A periodic or SIGUSR2 save that failed: said as every error is, and collection goes on.
    onSaveError: (err: InotifyKitError) => writeErr(errorText(err)),
  });
}

/** What the backend cannot deliver of the watched set, on stderr (nothing for inotify). */
async function noticeFor(backend: Backend, options: InotifywatchOptions): Promise<void> {
  if (backend.name !== 'parcel') return;
  const { backendNotice } = await import('@inotifykit/event-core/since');
  const notice = backendNotice(backend.name, options.events);
  if (notice) writeErr(asBytes(`${notice}\n`));
}

/** Parcel subscribes asynchronously: a failure shows up here, said as a failed watch is. */
async function subscribed(backend: Backend): Promise<void> {
  try {
    await backend.ready?.();
  } catch (err) {
    const path = (err as { path?: unknown }).path;
    throw typeof path === 'string' ? watchFailure(asBytes(path), err) : err;
  }
}
