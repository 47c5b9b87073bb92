/**
 * The parcel backend and `--since`: import from `@inotifykit/event-core/since`. Nothing here loads
 * @parcel/watcher until a ParcelBackend is constructed or openSince() is called.
 */
export { ParcelBackend } from '../backends/parcel/parcel-backend.js';
export type { ParcelBackendOptions } from '../backends/parcel/parcel-backend.js';
export { backendNotice, unsupportedEvents } from '../backends/parcel/capabilities.js';
export { openSince, SinceSession } from './since.js';
export type { BatchHandler, SinceOptions } from './since.js';
export { replayMask } from './replay.js';
export type { ReplayedEvent, WatchSource } from './replay.js';
export { ParcelUnavailableError, ParcelWatchError, SinceRootError, SinceSaveError, SinceStateError } from '../backends/parcel/errors.js';
