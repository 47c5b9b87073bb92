/**
 * The parcel backend and `--since`: import from `@inotifykit/event-core/parcel/index`. Nothing here loads
 * @parcel/watcher until a ParcelBackend is constructed or openSince() is called.
 */
export { ParcelBackend } from './parcel-backend.js';
export type { ParcelBackendOptions } from './parcel-backend.js';
export { backendNotice, unsupportedEvents } from './capabilities.js';
export { openSince, SinceSession } from './since.js';
export { startWithSince } from './since-start.js';
export type { SinceHandlers } from './since-start.js';
export type { BatchHandler, SinceOptions } from './since.js';
export { replayMask } from './replay.js';
export type { ReplayedEvent, WatchSource } from './replay.js';
export { ParcelUnavailableError, ParcelWatchError, SinceRootError, SinceSaveError, SinceStateError } from './errors.js';
