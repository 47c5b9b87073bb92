/**
 * The events the library's watch() delivers: the engine's byte-level events as text, with the exact bytes
 * one accessor away, a named `type`, and a move's two halves joined into one event when both were seen.
 */
import type { ByteString } from '../model/bytes.js';
import { asBytes, toBuffer, toText } from '../model/bytes.js';
import type { EventName } from '../model/event-names.js';
import { eventNames } from '../model/event-names.js';
import type { InotifyEvent } from '../model/event.js';
import { isDirEvent } from '../format/json.js';

/** A path's exact bytes, for names that are not valid UTF-8 (the text fields show those with U+FFFD). */
export interface EventBytes {
  readonly path: Buffer;
  readonly name: Buffer;
  readonly watch: Buffer;
}

/** One file-system event. */
export interface FileEvent {
  /** The event, e.g. `'create'`, `'close_write'`, `'moved_from'` (a half move whose other half was not seen). */
  readonly type: Exclude<EventName, 'q_overflow'>;
  /** Every event name the record carries (the kernel reports one; other backends may merge). */
  readonly events: readonly EventName[];
  /** The full path: the watched path as given, joined with `name`. UTF-8 text. */
  readonly path: string;
  /** The entry's name in the watched directory; `''` for an event on the watched path itself. */
  readonly name: string;
  /** The watched file or directory this event came through, as given to watch() or add(). */
  readonly watch: string;
  readonly isDir: boolean;
  /** Links a moved_from to its moved_to; 0 for other events. */
  readonly cookie: number;
  /** When the event was read, ms since the epoch (sub-millisecond digits). */
  readonly time: number;
  /** True for a `create` found by reading a new directory rather than reported by the kernel. */
  readonly synthetic: boolean;
  /** The exact bytes of `path`, `name` and `watch`. */
  readonly bytes: EventBytes;
}

/** A rename whose two halves were both seen: `from` (moved_from) and `to` (moved_to). */
export interface MoveEvent {
  readonly type: 'move';
  readonly events: readonly ['moved_from', 'moved_to'];
  readonly from: FileEvent;
  readonly to: FileEvent;
  /** `to.path`. */
  readonly path: string;
  readonly isDir: boolean;
  readonly cookie: number;
  readonly time: number;
}

/** The kernel dropped events (its queue overflowed): what happened meanwhile is unknown. */
export interface OverflowEvent {
  readonly type: 'q_overflow';
  readonly events: readonly ['q_overflow'];
  readonly time: number;
}

export type WatchEvent = FileEvent | MoveEvent | OverflowEvent;

/** The path as the user spelled it: the engine adds a `/` to directories (inotifywait's `%w`). */
function bare(watchPath: ByteString): ByteString {
  return watchPath.length > 1 && watchPath.endsWith('/') ? asBytes(watchPath.slice(0, -1)) : watchPath;
}

class EngineFileEvent implements FileEvent {
  readonly type: FileEvent['type'];
  readonly events: readonly EventName[];
  readonly isDir: boolean;
  readonly cookie: number;
  readonly time: number;
  readonly synthetic: boolean;
  readonly #path: ByteString;
  readonly #event: InotifyEvent;

  constructor(event: InotifyEvent, events: EventName[]) {
    this.#event = event;
    this.events = events;
    this.type = events[0] as FileEvent['type'];
    this.isDir = isDirEvent(event);
    this.cookie = event.cookie;
    this.time = event.time;
    this.synthetic = event.synthetic;
    this.#path = event.name === '' ? bare(event.watchPath) : asBytes(event.watchPath + event.name);
  }

  get path(): string {
    return toText(this.#path);
  }

  get name(): string {
    return toText(this.#event.name);
  }

  get watch(): string {
    return toText(bare(this.#event.watchPath));
  }

  get bytes(): EventBytes {
    return { path: toBuffer(this.#path), name: toBuffer(this.#event.name), watch: toBuffer(bare(this.#event.watchPath)) };
  }

  toJSON(): object {
    const { type, events, path, name, watch, isDir, cookie, time, synthetic } = this;
    return { type, events, path, name, watch, isDir, cookie, time, synthetic };
  }
}

/** The engine's event as the library's (an overflow, or a file event). */
export function toWatchEvent(event: InotifyEvent): FileEvent | OverflowEvent {
  const events = eventNames(event.mask);
  if (events.includes('q_overflow')) return { type: 'q_overflow', events: ['q_overflow'], time: event.time };
  return new EngineFileEvent(event, events);
}

export function moveEvent(from: FileEvent, to: FileEvent): MoveEvent {
  return { type: 'move', events: ['moved_from', 'moved_to'], from, to, path: to.path, isDir: to.isDir, cookie: to.cookie, time: to.time };
}
