/**
 * Restart delays for --ensure. A run shorter than `stableMs` is a "quick exit"; consecutive quick exits
 * double the delay from `minMs` up to `maxMs`. A stable run resets it, and a process that ran stably is
 * restarted at once.
 */
export interface BackoffPolicy {
  minMs: number;
  maxMs: number;
  stableMs: number;
}

export class Backoff {
  readonly #policy: BackoffPolicy;
  #quickExits = 0;

  constructor(policy: BackoffPolicy) {
    this.#policy = policy;
  }

  /** Record a run that lasted `ranMs`. */
  recordRun(ranMs: number): void {
    this.#quickExits = ranMs < this.#policy.stableMs ? this.#quickExits + 1 : 0;
  }

  /** Record a start that failed outright (spawn error). */
  recordFailure(): void {
    this.#quickExits += 1;
  }

  /** Consecutive quick exits so far. */
  get quickExits(): number {
    return this.#quickExits;
  }

  /** How long to wait before the next start. */
  delayMs(): number {
    if (this.#quickExits === 0) return 0;
    const { minMs, maxMs } = this.#policy;
    return Math.min(maxMs, minMs * 2 ** (this.#quickExits - 1));
  }
}
