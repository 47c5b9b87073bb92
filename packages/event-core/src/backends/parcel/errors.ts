/** Errors of the parcel backend and of the `--since` state file. */
import type { ByteString } from '../../model/bytes.js';
import { toText } from '../../model/bytes.js';
import { InotifyKitError } from '../../model/errors.js';

/** @parcel/watcher cannot be loaded (no prebuilt binary for this platform, or a bad setting). */
export class ParcelUnavailableError extends InotifyKitError {
  constructor(detail: string) {
    super(
      `The parcel backend is not available: ${detail}`,
      'Reinstall with optional dependencies (npm install --include=optional), or use --backend inotify on Linux.',
    );
  }
}

/**
 * @parcel/watcher's inotify backend could not get an inotify instance (the per-user limit): its subscribe
 * would wait forever, so this is found out first and said in one line.
 */
export class ParcelInstanceLimitError extends InotifyKitError {
  constructor(readonly reason: string) {
    super(`Couldn't start the parcel backend: no inotify instance left (${reason}); raise fs.inotify.max_user_instances`);
  }
}

/** The state file exists but is not one we wrote, or was damaged. It is left as it is. */
export class SinceStateError extends InotifyKitError {
  constructor(readonly file: ByteString, readonly detail: string) {
    super(
      `Corrupt state file ${toText(file)}: ${detail}`,
      'The file was left untouched. Move it aside to start afresh (nothing before the new run is replayed then).',
    );
  }
}

/** The state file could not be read or unpacked (it is a directory, the disk is full). It is left as it is. */
export class SinceReadError extends InotifyKitError {
  constructor(readonly file: ByteString, readonly reason: string, noRoom: boolean) {
    super(`Couldn't read state file ${toText(file)}: ${reason}${noRoom ? ' (its snapshots are unpacked beside it)' : ''}`);
  }
}

/** Writing the state file failed (full disk, permissions); the previous state file is still intact. */
export class SinceSaveError extends InotifyKitError {
  constructor(readonly file: ByteString, readonly reason: string) {
    super(`Couldn't save state file ${toText(file)}: ${reason}`);
  }
}

/** Watching or reading through @parcel/watcher failed after start-up (its errors are plain strings). */
export class ParcelWatchError extends InotifyKitError {
  constructor(readonly path: ByteString, reason: string) {
    super(`Watching ${toText(path)} failed: ${reason}`);
  }
}

/** A watched root that `--since` cannot keep track of (parcel needs paths that are valid UTF-8). */
export class SinceRootError extends InotifyKitError {
  constructor(readonly path: ByteString, reason: string) {
    super(`Cannot keep state for ${toText(path)}: ${reason}`);
  }
}
