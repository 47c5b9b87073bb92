/** A kernel queue's limit as its sysctl says (the kernel copies it into each instance when it is made). */
import { readFileSync } from 'node:fs';

/** fs.inotify.max_queued_events or fs.fanotify.max_queued_events (Linux 5.13; before it, fixed: undefined). */
export function queueLimit(api: 'inotify' | 'fanotify'): number | undefined {
  try {
    const n = Number(readFileSync(`/proc/sys/fs/${api}/max_queued_events`, 'latin1').trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
