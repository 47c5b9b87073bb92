/** `-t`: a timer that ends a wait with exit status 2 (inotifywait's "timed out"), re-armable for -m. */
export const EXIT_TIMEOUT = 2;

/** Printed on stderr (unless -q) once a watch is in place, as inotifywait does; scripts and tests wait for it. */
export const WATCHES_ESTABLISHED = 'Watches established.';

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
    this.#timer = setTimeout(this.#onExpire, this.#ms);
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }
}
