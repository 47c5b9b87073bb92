/** The one place that picks a backend for the platform. */
import type { Backend, BackendName } from './backend.js';
import { InotifyBackend } from './inotify/inotify-backend.js';
import type { InotifyBackendOptions } from './inotify/inotify-backend.js';

export type BackendChoice = BackendName | 'auto';
/** What `--backend` accepts (for shell completion). */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['inotify', 'parcel', 'auto'];

type ParcelModule = typeof import('./parcel/parcel-backend.js');
/** The parcel backend's code, once loaded: it stays off the start-up path of the inotify tools. */
let parcel: ParcelModule | undefined;

export function defaultBackendName(): BackendName {
  return process.platform === 'linux' ? 'inotify' : 'parcel';
}

function resolve(choice: BackendChoice): BackendName {
  return choice === 'auto' ? defaultBackendName() : choice;
}

/** Creates a backend, loading its code first when it is not loaded yet (the parcel backend's). */
export async function loadBackend(choice: BackendChoice, options: InotifyBackendOptions = {}): Promise<Backend> {
  if (resolve(choice) === 'parcel') parcel ??= await import('./parcel/parcel-backend.js');
  return createBackend(choice, options);
}

/**
 * Creates a backend synchronously: the inotify backend always, the parcel backend once loadBackend() has
 * loaded its code. (@parcel/watcher itself is required only when a ParcelBackend is constructed.)
 */
export function createBackend(choice: BackendChoice, options: InotifyBackendOptions = {}): Backend {
  if (resolve(choice) === 'inotify') return new InotifyBackend(options);
  if (!parcel) throw new Error("the parcel backend's code is loaded on demand: create it with loadBackend()");
  // Recursive by default (parcel's nature); the Watcher calls configure() with -r and the @ exclusions.
  return new parcel.ParcelBackend();
}
