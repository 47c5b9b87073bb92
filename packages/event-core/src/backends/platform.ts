/** The one place that picks a backend for the platform. */
import type { Backend, BackendName } from './backend.js';
import { DeferredBackend } from './deferred-backend.js';
import { InotifyBackend } from './inotify/inotify-backend.js';
import type { InotifyBackendOptions } from './inotify/inotify-backend.js';

export type BackendChoice = BackendName | 'auto';

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
 * Creates a backend synchronously: the inotify backend always; the parcel backend directly once
 * loadBackend() has loaded its code, before that one that loads it and takes watches meanwhile (its
 * ready() reports failures). (@parcel/watcher itself is required only when a ParcelBackend is constructed.)
 */
export function createBackend(choice: BackendChoice, options: InotifyBackendOptions = {}): Backend {
  if (resolve(choice) === 'inotify') return new InotifyBackend(options);
  if (!parcel) return new DeferredBackend('parcel', true, () => loadBackend('parcel'));
  // Recursive by default (parcel's nature); the Watcher calls configure() with -r and the @ exclusions.
  return new parcel.ParcelBackend();
}
