/**
 * Timers in seconds, of any length: `-t -1` is 4294967295 s in inotifywatch 3.22, far beyond setTimeout's
 * 2^31−1 ms, so long waits are chained. Returns a function that cancels.
 */
const MAX_DELAY_MS = 2 ** 31 - 1;

export function startTimer(seconds: number, repeat: boolean, fire: () => void): () => void {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (remainingMs: number) => {
    const step = Math.min(remainingMs, MAX_DELAY_MS);
    handle = setTimeout(() => {
      if (cancelled) return;
      if (remainingMs > step) return arm(remainingMs - step);
      fire();
      if (repeat && !cancelled) arm(seconds * 1000);
    }, step);
  };
  arm(seconds * 1000);
  return () => {
    cancelled = true;
    clearTimeout(handle);
  };
}
