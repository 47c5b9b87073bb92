/**
 * How long the main thread may nap between reads of a burst that it only counted (BackendSink.counts):
 * nothing waits for output, so waking 1,000 times a second is wasted (under load each wake-up of a
 * thread costs more CPU than counting the records it brings), but the kernel queue must not fill
 * meanwhile. The nap is what a quarter of the queue lasts at the rate of the last drain, 1 to 10 ms.
 */

/** The longest nap: the reads then carry thousands of records each. */
export const COUNTING_NAP_MS = 10;
const SHORTEST_NAP_MS = 1;
/** The kernel's default queue, for an instance whose limit could not be read. */
const DEFAULT_QUEUE = 16384;

/** `records` were read in a drain that began `sinceLastMs` after the one before; `queueLimit` is the kernel's. */
export function countingNapMs(records: number, sinceLastMs: number, queueLimit: number | undefined): number {
  const perMs = records / Math.max(sinceLastMs, SHORTEST_NAP_MS);
  const nap = Math.floor((queueLimit ?? DEFAULT_QUEUE) / 4 / perMs);
  return Math.max(SHORTEST_NAP_MS, Math.min(COUNTING_NAP_MS, nap));
}
