/** The stderr line for a kernel queue overflow (inotify-tools says nothing; its output silently has holes). */

/**
 * inotify does not say how many events it dropped, so the line says so instead of guessing. `limit`: the
 * instance's queue limit (the sysctl's value when it was created: a later change applies only to new ones).
 */
export function overflowWarning(limit: number | undefined, backend = 'inotify'): string {
  // fanotify's queue has a sysctl of its own (Linux 5.13).
  const sysctl = `fs.${backend === 'fanotify' ? 'fanotify' : 'inotify'}.max_queued_events`;
  const now = limit === undefined ? '' : ` (${limit} when this watcher started)`;
  const suggestion = limit === undefined ? '' : `, e.g. sysctl ${sysctl}=${limit * 4}`;
  return (
    'inotifywait: warning: the kernel event queue overflowed and an unknown number of events were lost; ' +
    `raise ${sysctl}${now}${suggestion}`
  );
}
