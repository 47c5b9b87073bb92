/** The stderr line for a kernel queue overflow (inotify-tools says nothing; its output silently has holes). */
import { readFileSync } from 'node:fs';

function currentLimit(): number | undefined {
  try {
    const n = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'latin1').trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** inotify does not say how many events it dropped, so the line says so instead of guessing. */
export function overflowWarning(): string {
  const limit = currentLimit();
  const now = limit === undefined ? '' : ` (now ${limit})`;
  const suggestion = limit === undefined ? '' : `, e.g. sysctl fs.inotify.max_queued_events=${limit * 4}`;
  return (
    'inotifywait: warning: the kernel event queue overflowed and an unknown number of events were lost; ' +
    `raise fs.inotify.max_queued_events${now}${suggestion}`
  );
}
