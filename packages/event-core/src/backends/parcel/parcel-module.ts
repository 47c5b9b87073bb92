/**
 * @parcel/watcher, loaded on first use only: Linux users of the inotify backend never load its native
 * module. Also the one place that decides which of parcel's own backends we ask for.
 */
import { createRequire } from 'node:module';
import type ParcelWatcher from '@parcel/watcher';
import { ParcelUnavailableError } from './errors.js';

export type ParcelEvent = ParcelWatcher.Event;
export type ParcelSubscription = ParcelWatcher.AsyncSubscription;
/** parcel's backend names; 'kqueue' exists in FreeBSD builds although its typings omit it. */
export type ParcelBackendType = ParcelWatcher.BackendType | 'kqueue';

/** parcel's options as it reads them: ignore entries are absolute paths, globs or RegExps (no flags). */
export interface ParcelOptions {
  readonly ignore?: (string | RegExp)[];
  readonly backend?: ParcelBackendType;
}

/** The part of @parcel/watcher we use, typed with the options it really accepts. */
export interface ParcelModule {
  subscribe(
    dir: string,
    fn: (err: Error | null, events: ParcelEvent[]) => unknown,
    opts?: ParcelOptions,
  ): Promise<ParcelSubscription>;
  writeSnapshot(dir: string, snapshot: string, opts?: ParcelOptions): Promise<string>;
  getEventsSince(dir: string, snapshot: string, opts?: ParcelOptions): Promise<ParcelEvent[]>;
}

const PARCEL_BACKENDS: ReadonlySet<string> = new Set(['fs-events', 'watchman', 'inotify', 'windows', 'kqueue', 'brute-force']);

let loaded: ParcelModule | undefined;

export function loadParcel(): ParcelModule {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)('@parcel/watcher') as ParcelModule;
  } catch (err) {
    throw new ParcelUnavailableError((err as Error).message);
  }
  return loaded;
}

/**
 * The parcel backend for live watching: INOTIFYKIT_PARCEL_BACKEND when set (e.g. `watchman`), otherwise
 * parcel's own choice (FSEvents on macOS, Watchman when running, else inotify/Windows/kqueue).
 */
export function liveParcelBackend(): ParcelBackendType | undefined {
  const chosen = process.env.INOTIFYKIT_PARCEL_BACKEND;
  if (chosen === undefined || chosen === '') return undefined;
  if (!PARCEL_BACKENDS.has(chosen)) {
    throw new ParcelUnavailableError(`INOTIFYKIT_PARCEL_BACKEND=${chosen} is not one of ${[...PARCEL_BACKENDS].join(', ')}`);
  }
  return chosen as ParcelBackendType;
}

/**
 * The parcel backend for snapshots, pinned (and recorded in the state file) because snapshot files are
 * backend-specific and parcel silently falls back to another backend when the asked one is missing:
 * FSEvents' event-id history on macOS; elsewhere the portable directory walk (no daemon to outlive us).
 */
export function snapshotParcelBackend(): ParcelBackendType {
  return process.platform === 'darwin' ? 'fs-events' : 'brute-force';
}
