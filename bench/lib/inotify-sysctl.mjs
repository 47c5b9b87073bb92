// fs.inotify.max_queued_events: read, and raised only for the moment a watcher creates its instance.
//
// The kernel copies the limit into each inotify instance at inotify_init(), so the bench raises it just before
// spawning a watcher and restores it as soon as that watcher says its watches are established. Other
// processes on the machine (e.g. tests that expect an overflow at the default) see the raised value only
// during that window.
import fs from 'node:fs';

const QUEUE = '/proc/sys/fs/inotify/max_queued_events';

export function readLimit(name) {
  try {
    return Number(fs.readFileSync(`/proc/sys/fs/inotify/${name}`, 'utf8').trim());
  } catch {
    return null;
  }
}

export const defaultQueueSize = () => readLimit('max_queued_events');

let original = null;
let exitHookInstalled = false;

function restoreNow() {
  if (original === null) return;
  try {
    fs.writeFileSync(QUEUE, String(original));
  } catch {
    // Nothing more can be done; the caller saw the raise succeed, so this is a lost race with shutdown.
  }
  original = null;
}

/**
 * Raises the queue size and returns a function that restores the previous value (idempotent), or null when
 * the limit cannot be written (not root).
 */
export function raiseQueue(size) {
  const before = defaultQueueSize();
  if (before === null) return null;
  try {
    fs.writeFileSync(QUEUE, String(size));
  } catch {
    return null;
  }
  if (original === null) original = before;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', restoreNow);
  }
  return restoreNow;
}
