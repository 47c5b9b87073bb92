/**
 * @inotifykit/event-core — watch() for applications (watch/; see the package README), and the engine: the event model, the backends behind one interface, the watcher,
 * filters and templates. `@inotifykit/event-core/since` is a second entry point, loaded on demand: it
 * holds --since and the parcel backend, whose modules stay off the inotify tools' start-up path.
 */
export * from './watch/index.js';
export * from './model/bytes.js';
export * from './model/mask.js';
export * from './model/event-names.js';
export * from './model/event.js';
export * from './model/errors.js';
export * from './backends/backend.js';
export * from './filter/ere.js';
export * from './filter/filter.js';
export * from './filter/glob.js';
export * from './format/template.js';
export * from './format/time.js';
export * from './format/json.js';
export * from './engine/watch-table.js';
export { Watcher } from './engine/watcher.js';
export { epochMs, monotonicMs } from './engine/clock.js';
export type { WatcherOptions, WatcherHandlers } from './engine/watcher.js';
export { BACKEND_CHOICES, createBackend, defaultBackendName, loadBackend } from './backends/platform.js';
export type { BackendChoice } from './backends/platform.js';
export { InotifyBackend } from './backends/inotify/inotify-backend.js';
export type { InotifyBackendOptions, ReaderPolicy } from './backends/inotify/inotify-backend.js';
// The event loop's since-aware start: small, and needed statically by the CLIs (the rest of since/ is not).
export { startWithSince } from './since/since-start.js';
export type { SinceHandlers } from './since/since-start.js';
