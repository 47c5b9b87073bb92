import type { ByteString } from './bytes.js';
import type { EventMask } from './mask.js';

/** One record as a backend reads it: the kernel's `struct inotify_event`, name decoded to a byte string. */
export interface RawEvent {
  /** Watch descriptor; −1 for IN_Q_OVERFLOW. */
  readonly wd: number;
  readonly mask: EventMask;
  /** Links a MOVED_FROM to its MOVED_TO; 0 for other events. */
  readonly cookie: number;
  /** Entry name inside the watched directory; '' for an event on the watch itself. */
  readonly name: ByteString;
  /**
   * For a natively recursive backend that keeps inotify's `%w` (fanotify): the directory below the watched
   * one the event happened in, relative to it and ending in `/`; absent or '' for the watched one itself.
   */
  readonly dir?: ByteString;
  /** The process that caused the event (fanotify only; inotify cannot tell). */
  readonly pid?: number;
  /** Its name (/proc/PID/comm, bytes), when the process still existed as the event was read. */
  readonly comm?: ByteString;
  /** Its effective user id, when the process still existed as the event was read. */
  readonly uid?: number;
}

/** An event as the engine delivers it: a raw record resolved against the watch table. */
export interface InotifyEvent extends RawEvent {
  /**
   * The watch's path as the user spelled it, with `/` appended for directories — inotifywait's `%w`.
   * Captured when the event was read, so later renames do not change it. '' for IN_Q_OVERFLOW.
   */
  readonly watchPath: ByteString;
  /** When the engine read the event, in milliseconds since the epoch (sub-millisecond precision). */
  readonly time: number;
  /** True for a CREATE reported by reading a new directory rather than by the kernel. */
  readonly synthetic: boolean;
}

/** What happened while reading one batch, besides the events delivered. */
export interface BatchInfo {
  /** Records read from the kernel for this batch, including those the filter dropped. */
  readonly read: number;
}
