/** The library's front door: watch() and its events (re-exported by the package root). */
export { FileWatcher, watch } from './watch.js';
export type { WatchOptions, WatchPath } from './watch.js';
export type { EventBytes, FileEvent, MoveEvent, OverflowEvent, WatchEvent } from './watch-event.js';
export type { PathPattern } from './path-patterns.js';
