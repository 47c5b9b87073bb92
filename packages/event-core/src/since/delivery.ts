/**
 * Knowing when live delivery has caught up, which decides when a snapshot may be committed: it watches the
 * batches on their way to the consumer (what is in flight, what arrived after the consumer stopped, an
 * overflow) and drops what our own snapshot walks caused.
 */
import type { ByteString } from '../model/bytes.js';
import type { InotifyEvent } from '../model/event.js';
import { IN_ACCESS, IN_CLOSE_NOWRITE, IN_ISDIR, IN_OPEN, IN_Q_OVERFLOW } from '../model/mask.js';
import type { EventMask } from '../model/mask.js';
import type { WatcherHandlers } from '../engine/watcher.js';
import type { WatchSource } from './replay.js';
import { asBytes } from '../model/bytes.js';

export type BatchHandler = WatcherHandlers['batch'];

/** How long after a change its live event may still be on the way: parcel batches for up to ~500 ms. */
const DELIVERY_DELAY_MS: Readonly<Record<string, number>> = { inotify: 100, parcel: 750 };
/** A save that cannot see live delivery catch up within this long is skipped (the older state stays). */
const CATCH_UP_LIMIT_MS = 10_000;
/** What reading a directory causes. Our snapshot walks do, and inotify cannot say who did. */
const DIR_READ = IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE;

/** An event that only says a directory was read (OPEN/ACCESS/CLOSE_NOWRITE with ISDIR). */
export function isDirRead(event: InotifyEvent): boolean {
  return (event.mask & IN_ISDIR) !== 0 && (event.mask & ~(DIR_READ | IN_ISDIR)) === 0;
}

export class DeliveryTracker {
  /** When a batch with events last arrived (ms since the epoch). */
  lastArrival = 0;
  /** A relevant event for a path the consumer did not output arrived, or was left unoutput at stop(). */
  missed = false;
  /** The backend lost events (Q_OVERFLOW): no snapshot taken after it may be committed. */
  overflowed = false;
  #latency = DELIVERY_DELAY_MS.inotify!;
  #inflight = 0;
  #resumedAt = 0;
  #stopped = false;
  /** The path of the last event output before stop(): more changes to it are covered by that report. */
  #stoppedPath: ByteString | undefined;
  /** The last batch given to the consumer. */
  #lastBatch: readonly InotifyEvent[] = [];
  #walks = 0;
  #walkEchoUntil = 0;
  /** Walks whose echoes may still be queued: until the reader has drained past their end. */
  #echoesPending = 0;
  #drained: (() => Promise<void>) | undefined;

  constructor(
    readonly requested: EventMask,
    readonly isOwnPath: (path: ByteString) => boolean,
  ) {}

  /**
   * The live source. With inotify, "delivered" is exact: everything queued before a moment has been read
   * once the reader drains after it (whenDrained), however far behind a loaded machine makes it. Parcel
   * batches on its own clock, so its delivery delay bounds how long a change's event may be on its way.
   */
  useSource(source: WatchSource): void {
    this.#latency = DELIVERY_DELAY_MS[source.backendName] ?? DELIVERY_DELAY_MS.parcel!;
    this.#drained = source.backendName === 'inotify' && source.whenDrained ? () => source.whenDrained!() : undefined;
  }

  /**
   * The consumer outputs nothing more; what arrives from now on is only noted. `after`: it stopped after
   * outputting this event of the last batch (inotifywait without -m); the rest of that batch was not output.
   */
  stop(after?: InotifyEvent): void {
    this.#stopped = true;
    if (!after) return;
    this.#stoppedPath = asBytes(after.watchPath + after.name);
    const index = this.#lastBatch.indexOf(after);
    if (index >= 0 && this.#lastBatch.slice(index + 1).some((e) => this.#unreported(e))) this.missed = true;
  }

  /** A relevant event for another path than the one output last. */
  #unreported(event: InotifyEvent): boolean {
    return (event.mask & (this.requested || ~0)) !== 0 && event.watchPath + event.name !== this.#stoppedPath;
  }

  walkStarted(): void {
    this.#walks++;
  }

  walkDone(): void {
    this.#walks--;
    if (this.#drained) {
      this.#echoesPending++;
      void this.#drained().then(() => this.#echoesPending--);
    } else {
      this.#walkEchoUntil = Date.now() + this.#latency;
    }
  }

  /** `live`, wrapped to count what is in flight and to note what arrives after stop(). */
  wrap(live: BatchHandler): BatchHandler {
    return (events: InotifyEvent[], info) => {
      const mine = events.filter((e) => !this.isOwnPath(asBytes(e.watchPath + e.name)) && !this.#isWalkEcho(e));
      if (mine.some((e) => e.mask & IN_Q_OVERFLOW)) this.overflowed = true;
      if (this.#stopped) {
        if (mine.some((e) => this.#unreported(e))) this.missed = true;
        return;
      }
      this.#lastBatch = mine;
      if (mine.length > 0) this.lastArrival = Date.now();
      if (mine.length === 0 && events.length > 0 && live.length === 0) return;
      const result = live(mine, info);
      if (!result) return;
      this.#inflight++;
      return Promise.resolve(result).finally(() => {
        if (--this.#inflight === 0) this.#resumedAt = Date.now();
      });
    };
  }

  /**
   * Resolves true once every change made before `walkEnd` has surely been delivered: nothing is in
   * flight (a consumer still busy keeps the backend from reading) and reading has run freely for the
   * backend's delivery delay since then. False when that does not happen within the limit.
   */
  async caughtUp(walkEnd: number): Promise<boolean> {
    const deadline = Date.now() + CATCH_UP_LIMIT_MS;
    if (this.#drained) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CATCH_UP_LIMIT_MS)));
      const drained = await Promise.race([this.#drained().then(() => true as const), limit]);
      clearTimeout(timer);
      if (!drained) return false;
      while (this.#inflight > 0) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    }
    for (;;) {
      const wait = this.#inflight > 0 ? 20 : Math.max(walkEnd, this.#resumedAt) + this.#latency - Date.now();
      if (wait <= 0) return true;
      if (Date.now() + wait > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * Directory reads (OPEN/ACCESS/CLOSE_NOWRITE with ISDIR) during our own snapshot walks: the walk caused
   * them. A real reader's in that window is dropped too, as inotify gives no pid.
   */
  #isWalkEcho(event: InotifyEvent): boolean {
    return isDirRead(event) &&
      (this.#walks > 0 || this.#echoesPending > 0 || Date.now() <= this.#walkEchoUntil);
  }
}
