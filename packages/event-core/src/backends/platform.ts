/** The one place that picks a backend for the platform. */
import type { Backend, BackendName } from './backend.js';
import { DeferredBackend } from './deferred-backend.js';
import { InotifyBackend } from './inotify/inotify-backend.js';
import type { InotifyBackendOptions } from './inotify/inotify-backend.js';
import type { FanotifyBackendOptions } from './fanotify/fanotify-backend.js';

/** Each backend takes the options meant for it and ignores the others. */
export type BackendOptions = InotifyBackendOptions & FanotifyBackendOptions;

export type BackendChoice = BackendName | 'auto';
/** What `--backend` accepts (for shell completion). */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['inotify', 'fanotify', 'parcel', 'auto'];

type ParcelModule = typeof import('./parcel/parcel-backend.js');
type FanotifyModule = typeof import('./fanotify/fanotify-backend.js');
/** The parcel backend's code, once loaded: it stays off the start-up path of the inotify tools. */
let parcel: ParcelModule | undefined;
/** The fanotify backend's code, likewise (only fsnotifywait, -F and -S need it). */
let fanotify: FanotifyModule | undefined;

export function defaultBackendName(): BackendName {
  return process.platform === 'linux' ? 'inotify' : 'parcel';
}

function resolve(choice: BackendChoice): BackendName {
  return choice === 'auto' ? defaultBackendName() : choice;
}

/** Creates a backend, loading its code first when it is not loaded yet (the parcel backend's). */
export async function loadBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<Backend> {
  if (resolve(choice) === 'parcel') parcel ??= await import('./parcel/parcel-backend.js');
  if (resolve(choice) === 'fanotify') fanotify ??= await import('./fanotify/fanotify-backend.js');
  return createBackend(choice, options);
}

/**
 * Creates a backend synchronously: the inotify backend always, the fanotify backend once loadBackend() has
 * loaded its code; the parcel backend directly once loaded, before that one that loads it and takes watches
 * meanwhile (its ready() reports failures). (@parcel/watcher itself is required only when a ParcelBackend is constructed.)
 */
export function createBackend(choice: BackendChoice, options: BackendOptions = {}): Backend {
  if (resolve(choice) === 'inotify') return new InotifyBackend(options);
  if (resolve(choice) === 'fanotify') {
    if (!fanotify) throw new Error("the fanotify backend's code is loaded on demand: create it with loadBackend()");
    return new fanotify.FanotifyBackend(options);
  }
  if (!parcel) return new DeferredBackend('parcel', true, () => loadBackend('parcel'));
  // Recursive by default (parcel's nature); the Watcher calls configure() with -r and the @ exclusions.
  return new parcel.ParcelBackend();
}
