/**
 * The library's front door: `watch(paths, options)` is an async iterable of events that ends on close(),
 * on abort of `options.signal`, when a `for await` is left, or with `await using`. Options name events
 * (`['create', 'close_write']`); paths are text (or Buffers, for exact bytes); events carry text paths and
 * their bytes (watch-event.ts). Underneath is the same engine as the CLIs': lossless recursion, new
 * directories read, moves tracked, overflow reported.
 */
import type { Backend } from '../backends/backend.js';
import type { BackendChoice } from '../backends/platform.js';
import { loadBackend } from '../backends/platform.js';
import { Watcher } from '../engine/watcher.js';
import type { ByteString } from '../model/bytes.js';
import { asBytes, fromText } from '../model/bytes.js';
import type { EventGroupName, EventName } from '../model/event-names.js';
import { maskOfNames } from '../model/event-names.js';
import type { InotifyEvent } from '../model/event.js';
import { IN_ALL_EVENTS, IN_CREATE, IN_MOVED_FROM, IN_MOVED_TO, IN_Q_OVERFLOW, asMask } from '../model/mask.js';
import { EventQueue } from './event-queue.js';
import { MovePairing } from './move-pairing.js';
import type { PathPattern } from './path-patterns.js';
import { compilePatterns } from './path-patterns.js';
import type { WatchEvent } from './watch-event.js';
import { toWatchEvent } from './watch-event.js';

// Node 20.0–20.3 lack Symbol.asyncDispose; `await using` (TypeScript's down-levelled form) looks it up here.
(Symbol as { asyncDispose?: symbol }).asyncDispose ??= Symbol.for('nodejs.asyncDispose');

/** A path to watch: text (UTF-8, as JS strings are), or a Buffer holding its exact bytes. */
export type WatchPath = string | Buffer;

export interface WatchOptions {
  /** The events to report, by name; default: every event (`'all_events'`). Overflows always come. */
  readonly events?: readonly (EventName | EventGroupName)[];
  /** Watch whole directory trees, following directories created or moved in later. Default false. */
  readonly recursive?: boolean;
  /** Report only paths that match one of these (globs, RegExps or tests; see path-patterns.ts). */
  readonly include?: PathPattern | readonly PathPattern[];
  /** Never report paths that match one of these; excluded directories are not watched at all. */
  readonly exclude?: PathPattern | readonly PathPattern[];
  /** `'inotify'` (Linux), `'parcel'` (@parcel/watcher: macOS, Windows, BSD), or `'auto'` (the default). */
  readonly backend?: BackendChoice;
  /** Ends the iteration and releases the watches when aborted. */
  readonly signal?: AbortSignal;
  /** Join a moved_from and its moved_to into one `move` event when both are seen. Default true. */
  readonly pairMoves?: boolean;
  /** With `recursive`, report what a new directory already holds when it is first read. Default true. */
  readonly rescanNewDirs?: boolean;
}

function toBytes(path: WatchPath): ByteString {
  return typeof path === 'string' ? fromText(path) : asBytes(path.toString('latin1'));
}

/** The watcher watch() returns: an async iterable of {@link WatchEvent}s, and `await using`-disposable. */
export class FileWatcher implements AsyncIterableIterator<WatchEvent>, AsyncDisposable {
  /** Resolves once every initial path is watched; rejects (and so does iteration) if one cannot be. */
  readonly ready: Promise<void>;
  readonly #queue = new EventQueue<WatchEvent>();
  readonly #pairing: MovePairing | undefined;
  readonly #requested: number;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => void this.close();
  #watcher: Watcher | undefined;
  #backend: Backend | undefined;
  #closing: Promise<void> | undefined;

  constructor(paths: WatchPath | readonly WatchPath[] = [], options: WatchOptions = {}) {
    this.#requested = (options.events ? maskOfNames(options.events) : IN_ALL_EVENTS) | IN_Q_OVERFLOW;
    this.#pairing = options.pairMoves === false ? undefined : new MovePairing();
    this.#signal = options.signal;
    const list = (Array.isArray(paths) ? paths : [paths]) as readonly WatchPath[];
    this.ready = this.#start(list, options);
    this.ready.catch((err: unknown) => this.#queue.fail(err));
    if (this.#signal?.aborted) void this.close();
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  async #start(paths: readonly WatchPath[], options: WatchOptions): Promise<void> {
    const backend = (this.#backend = await loadBackend(options.backend ?? 'auto'));
    if (this.#closing) return void (await backend.close());
    const { filter, pruneDir } = compilePatterns(options.include, options.exclude);
    const recursive = options.recursive ?? false;
    // What recursion needs to see besides what was asked for (new and moved directories).
    const mask = asMask((this.#requested & ~IN_Q_OVERFLOW) | (recursive ? IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO : 0));
    const watcher = (this.#watcher = new Watcher({ mask, recursive, filter, pruneDir, backend, rescanNewDirs: options.rescanNewDirs }));
    for (const path of paths) watcher.add(toBytes(path));
    await backend.ready?.();
    watcher.start({
      batch: (events) => this.#deliver(events),
      idle: () => {
        if (this.#pairing) this.#queue.push(this.#pairing.flush());
      },
      error: (err) => this.#queue.fail(err),
    });
  }

  #deliver(events: InotifyEvent[]): void | Promise<void> {
    const wanted = events.filter((e) => (e.mask & this.#requested) !== 0).map(toWatchEvent);
    return this.#queue.push(this.#pairing ? this.#pairing.pair(wanted) : wanted);
  }

  /** The backend in use (`'inotify'`, `'parcel'`), once ready. */
  get backend(): string | undefined {
    return this.#backend?.name;
  }

  /** Watches one more path (after the initial ones are watched). Throws a WatchError if it cannot be. */
  async add(path: WatchPath): Promise<void> {
    await this.ready;
    if (this.#closing) return;
    this.#watcher!.add(toBytes(path));
    await this.#backend!.ready?.();
  }

  /** Stops watching a path given to watch() or add(); false when it was not watched. */
  async remove(path: WatchPath): Promise<boolean> {
    await this.ready;
    return this.#watcher?.remove(toBytes(path)) ?? false;
  }

  /**
   * Ends every pending and later `next()` at once (a `for await` on this watcher finishes), then releases
   * the watches; resolves when they are released. Safe to call more than once.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#queue.end();
      this.#signal?.removeEventListener('abort', this.#onAbort);
      await this.ready.catch(() => {});
      await this.#watcher?.close();
    })();
    return this.#closing;
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    return this.#queue.next();
  }

  /** Called when a `for await` is left early (break, return, throw): the watcher is closed. */
  async return(): Promise<IteratorResult<WatchEvent>> {
    await this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Watches `paths` and returns the events as an async iterable:
 *
 * ```ts
 * for await (const ev of watch('src', { recursive: true, events: ['close_write'], signal })) console.log(ev.path);
 * ```
 */
export function watch(paths: WatchPath | readonly WatchPath[], options: WatchOptions = {}): FileWatcher {
  return new FileWatcher(paths, options);
}
