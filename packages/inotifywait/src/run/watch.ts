/**
 * The Watcher for these options: the kernel mask (the events asked for, plus what following new
 * directories needs, `IN_DONT_FOLLOW` for -P), recursion (-r, or -S's one filesystem mark), new-directory
 * rescans, overflow recovery, exclusions and filters.
 */
import type { Backend, EventMask } from '@inotifykit/event-core';
import { IN_ALL_EVENTS, IN_CREATE, IN_DONT_FOLLOW, IN_MOVED_FROM, IN_MOVED_TO, Watcher, asMask } from '@inotifykit/event-core';
import type { PathList } from '@inotifykit/cli-kit';
import type { InotifywaitOptions } from '../options.js';
import type { Filters } from './filters.js';
import { pruner } from './filters.js';

export interface Watching {
  readonly watcher: Watcher;
  /** Called once every path is watched: from then on the classic --exclude prunes new directories. */
  readonly started: () => void;
}

/** The events the user asked for (`-e`; none given is every event). */
export function requestedEvents(o: InotifywaitOptions): EventMask {
  return o.events === 0 ? IN_ALL_EVENTS : o.events;
}

export function createWatcher(o: InotifywaitOptions, backend: Backend, list: PathList, filters: Filters): Watching {
  const fanotify = backend.name === 'fanotify';
  // -S: one filesystem mark, reporting what happens below each path (the tree, like -r).
  const recursive = o.recursive || (fanotify && o.filesystem);
  let kernelMask = requestedEvents(o);
  // inotify follows new directories through their CREATE/MOVED_TO; fanotify's one mark needs no help.
  if (o.monitor && recursive && !fanotify) kernelMask = asMask(kernelMask | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM);
  if (o.noDereference) kernelMask = asMask(kernelMask | IN_DONT_FOLLOW);
  let startupDone = false;
  const watcher = new Watcher({
    mask: kernelMask,
    recursive,
    followNewDirs: o.monitor && recursive,
    rescanNewDirs: o.rescan,
    recoverOverflow: o.rescanOnOverflow,
    excludeDirs: list.exclusions,
    pruneDir: pruner(filters, () => startupDone),
    filter: filters.filter,
    backend,
  });
  return {
    watcher,
    started: () => {
      startupDone = true;
    },
  };
}
