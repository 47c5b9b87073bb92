/**
 * `--since FILE`: the state file, opened (and checked) before any watch exists, so that a damaged one ends
 * the run with the file untouched; and what a backend cannot deliver of the requested events.
 */
import type { InotifyKitError, PathFilter } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';
import type { SinceSession } from '@inotifykit/event-core/since';
import type { PathList } from '@inotifykit/cli-kit';
import { errorLines } from '@inotifykit/cli-kit';
import type { Diagnostics } from '../diagnostics.js';
import type { InotifywaitOptions } from '../options.js';

/** Opens the state file (the parcel module is loaded only now). */
export async function openState(o: InotifywaitOptions, list: PathList, filter: PathFilter | undefined, diagnostics: Diagnostics): Promise<SinceSession> {
  const { openSince } = await import('@inotifykit/event-core/since');
  return openSince(o.since!, list.paths, {
    requested: o.events,
    recursive: o.recursive,
    excludeDirs: list.exclusions,
    filter,
    // A periodic or SIGUSR2 save that failed: said as every error is, and watching goes on.
    onSaveError: (err: InotifyKitError) => {
      for (const line of errorLines(err)) diagnostics.report(line);
    },
  });
}

/** The parcel backend's notice of the requested events it cannot deliver (nothing for inotify); not under -qq. */
export async function reportBackendLimits(o: InotifywaitOptions, backendName: string, diagnostics: Diagnostics): Promise<void> {
  if (backendName !== 'parcel' || o.quiet >= 2) return;
  const { backendNotice } = await import('@inotifykit/event-core/since');
  const notice = backendNotice(backendName, o.events);
  if (notice) for (const line of notice.split('\n')) diagnostics.report(asBytes(line));
}
