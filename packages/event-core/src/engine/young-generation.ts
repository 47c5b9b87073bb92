/**
 * V8 doubles the young generation each time many objects survive a scavenge: what a burst of events
 * needs (fewer scavenges), but the start-up walk allocates almost nothing but survivors (the watch
 * table), so the young generation grew from 2 to 16 MB during a 50k-directory walk and the RSS stayed
 * there for the whole run. Holding the growth factor at 1 for the walk keeps it at its initial size.
 * The factor is read each time V8 considers growing, so setting it at run time takes effect.
 */
import { createRequire } from 'node:module';

/** node:v8 is loaded on first use: only a recursive walk needs it, and every module counts at start-up. */
let v8: typeof import('node:v8') | undefined;
const setFlagsFromString = (flags: string): void => {
  v8 ??= createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString(flags);
};

/** V8's default (`node --v8-options`: --semi-space-growth-factor=2). */
const DEFAULT_GROWTH_FACTOR = 2;

export function withoutYoungGrowth<T>(fn: () => T): T {
  setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return fn();
  } finally {
    setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  }
}
