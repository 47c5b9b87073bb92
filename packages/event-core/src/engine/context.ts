/** What the engine's parts (start-up walk, rescan, moves, overflow recovery) share with the Watcher. */
import type { Backend } from '../backends/backend.js';
import type { ByteString } from '../model/bytes.js';
import type { InotifyKitError } from '../model/errors.js';
import type { InotifyEvent } from '../model/event.js';
import type { EventMask } from '../model/mask.js';
import type { WatchTable } from './watch-table.js';

export interface EngineContext {
  readonly backend: Backend;
  readonly table: WatchTable;
  /** The mask of every watch: the requested events plus what following new directories needs. */
  readonly kernelMask: EventMask;
  /** The event bits delivered (the requested ones, and those the kernel always sends). */
  readonly deliver: EventMask;
  /** New directories in recursive trees are followed (watched, and read). */
  readonly follow: boolean;
  readonly pruneDir: ((dirPath: ByteString) => boolean) | undefined;
  /** The path filter: keep this event? */
  keep(event: InotifyEvent): boolean;
  /** Watching goes on, but something is wrong (a new directory that could not be watched). */
  warn(err: InotifyKitError): void;
}

/** ENOENT, EACCES, ELOOP, ENOTDIR: a directory that vanished or may not be entered is skipped silently. */
export function isSkippableErrno(errno: number): boolean {
  return errno === 2 || errno === 13 || errno === 40 || errno === 20;
}
