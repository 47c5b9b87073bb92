/**
 * Setting up the watches, path by path, with inotifywatch's stderr lines. The first failure is fatal and
 * named after the path as given (`Failed to watch d: …`, or the two ENOSPC lines).
 *
 * Each `add` is synchronous (a recursive walk included), so signals wait until it returns; between paths
 * the event loop gets a turn now and then, so a double SIGINT during a long list still aborts promptly.
 */
import type { ByteString, Watcher } from '@inotifykit/event-core';
import { SystemError, WatchLimitError } from '@inotifykit/event-core';
import { UsageError, errorLines } from '@inotifykit/cli-kit';
import { asBytes, fromText, monotonicMs } from '@inotifykit/event-core';

const YIELD_EVERY_MS = 20;

export interface EstablishSettings {
  readonly recursive: boolean;
  readonly verbose: number;
}

export async function establishWatches(
  watcher: Watcher,
  paths: readonly ByteString[],
  settings: EstablishSettings,
  writeErr: (text: ByteString) => void,
): Promise<void> {
  const announce = settings.recursive && settings.verbose > 0;
  let lastYield = monotonicMs();
  for (const path of paths) {
    if (announce) writeErr(asBytes(`Setting up watch(es) on ${path}\n`));
    try {
      watcher.add(path);
    } catch (err) {
      throw watchFailure(path, err);
    }
    if (announce) writeErr(asBytes(`OK, ${path} is now being watched.\n`));
    if (monotonicMs() - lastYield > YIELD_EVERY_MS) {
      await turn();
      lastYield = monotonicMs();
    }
  }
  // Signals that arrived during the last (synchronous) walk are handled here, as setup-time signals.
  await turn();
}

/** `-S`: 4.25's lines for its filesystem marks (one per path here: each may be on its own file system). */
export function establishFilesystemWatches(watcher: Watcher, paths: readonly ByteString[], writeErr: (text: ByteString) => void): void {
  for (const path of paths) {
    writeErr(asBytes(`Setting up filesystem watch on ${path}\n`));
    try {
      watcher.add(path);
    } catch (err) {
      if (!(err instanceof SystemError)) throw err;
      throw new UsageError(asBytes(`Couldn't add filesystem watch ${err.messageBytes.slice(`Couldn't watch `.length)}`));
    }
  }
}

export function watchFailure(path: ByteString, err: unknown): unknown {
  // The engine's own lines (message and the sysctl hint), as inotifywatch prints them.
  if (err instanceof WatchLimitError) return new UsageError(asBytes(errorLines(err).join('\n')));
  if (err instanceof SystemError) return new UsageError(asBytes(`Failed to watch ${path}: ${fromText(err.reason)}`));
  return err;
}

/** One trip round the event loop (its poll phase dispatches pending signals). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
