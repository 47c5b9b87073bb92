/** `-t`: a timer that ends a wait with exit status 2 (inotifywait's "timed out"), re-armable for -m. */
export const EXIT_TIMEOUT = 2;

/** Printed on stderr (unless -q) once a watch is in place, as inotifywait does; scripts and tests wait for it. */
export const WATCHES_ESTABLISHED = 'Watches established.';

/** The longest delay a Node timer takes (2^31 - 1 ms, 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class Deadline {
  readonly #ms: number | undefined;
  readonly #onExpire: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number | undefined, onExpire: () => void) {
    this.#ms = ms;
    this.#onExpire = onExpire;
    this.restart();
  }

  /** Start counting again from now (no-op without a timeout). */
  restart(): void {
    if (this.#ms === undefined) return;
    clearTimeout(this.#timer);
    this.#arm(Date.now() + this.#ms);
  }

  /** A timeout beyond Node's limit runs as a chain of shorter timers. */
  #arm(at: number): void {
    const left = at - Date.now();
    if (left > MAX_TIMER_MS) this.#timer = setTimeout(() => this.#arm(at), MAX_TIMER_MS);
    else this.#timer = setTimeout(this.#onExpire, Math.max(0, left));
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }
}
