/**
 * The clocks the engine reads at start-up and per batch. `performance.now()` would do, but the first use
 * of `performance` loads perf_hooks (2-4 ms of a start here); process.hrtime() is there from the start.
 */

/** Milliseconds on the monotonic clock (as performance.now(), from an unspecified origin). */
export function monotonicMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/** The monotonic clock's reading at the Unix epoch, taken once (to the millisecond). */
const epochOffset = Date.now() - monotonicMs();

/** Milliseconds since the epoch, with the monotonic clock's sub-millisecond steps. */
export function epochMs(): number {
  return epochOffset + monotonicMs();
}
