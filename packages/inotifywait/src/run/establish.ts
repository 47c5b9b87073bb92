/**
 * Setting up the watches, path by path, with inotifywait's stderr lines: the first path that cannot be
 * watched ends the run (exit 1), named as given (`Couldn't watch d: …`, or the two ENOSPC lines); then
 * the backend's own start-up (parcel subscribes asynchronously, so its failure shows up only there).
 */
import type { Backend, ByteString, Watcher } from '@inotifykit/event-core';
import { SystemError, WatchLimitError, asBytes, fromText } from '@inotifykit/event-core';
import type { PathList } from '@inotifykit/cli-kit';
import type { Diagnostics } from '../diagnostics.js';

/** True when every path is watched; false after the failure has been reported. */
export async function establishWatches(
  watcher: Watcher,
  backend: Backend,
  list: PathList,
  diagnostics: Diagnostics,
  filesystem: boolean,
): Promise<boolean> {
  for (const path of list.paths) {
    try {
      watcher.add(path);
    } catch (err) {
      reportWatchError(diagnostics, path, err, filesystem);
      return false;
    }
  }
  try {
    await backend.ready?.();
  } catch (err) {
    const path = (err as { path?: unknown }).path;
    reportWatchError(diagnostics, asBytes(typeof path === 'string' ? path : (list.paths[0] ?? '')), err);
    return false;
  }
  return true;
}

function reportWatchError(diagnostics: Diagnostics, path: ByteString, err: unknown, filesystem = false): void {
  if (filesystem && err instanceof SystemError) {
    // 4.25's wording for -S; a cause we know (no file handles on NFS, FUSE) follows the reason.
    diagnostics.report(asBytes(`Couldn't add filesystem watch ${path}: ${err.messageBytes.slice(`Couldn't watch ${path}: `.length)}`));
  } else if (err instanceof WatchLimitError) {
    diagnostics.report(asBytes(`Failed to watch ${path}; upper limit on inotify watches reached!`));
    diagnostics.report(asBytes(err.hint ?? ''));
  } else if (err instanceof SystemError) {
    diagnostics.report(asBytes(`Couldn't watch ${path}: ${err.reason}`));
  } else {
    diagnostics.report(asBytes(`Couldn't watch ${path}: ${fromText((err as Error).message)}`));
  }
}
