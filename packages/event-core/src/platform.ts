/** The one place that picks a backend for the platform. */
import type { Backend, BackendName } from './backend.js';
import { InotifyBackend } from './linux/inotify-backend.js';

export type BackendChoice = BackendName | 'auto';

export function defaultBackendName(): BackendName {
  return process.platform === 'linux' ? 'inotify' : 'parcel';
}

export function createBackend(choice: BackendChoice): Backend {
  const name = choice === 'auto' ? defaultBackendName() : choice;
  if (name === 'inotify') return new InotifyBackend();
  throw new Error(`backend '${name}' is not available yet`);
}
