/** The one place that picks a backend for the platform. */
import type { Backend, BackendName } from './backend.js';
import { InotifyBackend } from './linux/inotify-backend.js';
// Importing it loads nothing native: @parcel/watcher is required when a ParcelBackend is constructed.
import { ParcelBackend } from './parcel/parcel-backend.js';

export type BackendChoice = BackendName | 'auto';

export function defaultBackendName(): BackendName {
  return process.platform === 'linux' ? 'inotify' : 'parcel';
}

export function createBackend(choice: BackendChoice): Backend {
  const name = choice === 'auto' ? defaultBackendName() : choice;
  if (name === 'inotify') return new InotifyBackend();
  // Recursive by default (parcel's nature); the Watcher calls configure() with -r and the @ exclusions.
  return new ParcelBackend();
}
