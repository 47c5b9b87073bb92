// fs.inotify.max_queued_events (and fs.fanotify's): read, and raised only for the moment a watcher creates
// its instance.
//
// The kernel copies the limit into each inotify instance at inotify_init() (each fanotify group at
// fanotify_init()), so the bench raises it just before
// spawning a watcher and restores it as soon as that watcher says its watches are established. Other
// processes on the machine (e.g. tests that expect an overflow at the default) see the raised value only
// during that window.
import fs from 'node:fs';

const QUEUE = '/proc/sys/fs/inotify/max_queued_events';
/** fanotify's own limit (Linux 5.13): the fsnotifywaits' queue, raised with inotify's. */
const FAN_QUEUE = '/proc/sys/fs/fanotify/max_queued_events';

function readNumber(file) {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
}

export const readLimit = (name) => readNumber(`/proc/sys/fs/inotify/${name}`);

export const defaultQueueSize = () => readLimit('max_queued_events');

/** fanotify's queue limit (null before Linux 5.13, where it is a fixed 16384). */
export const fanotifyQueueSize = () => readNumber(FAN_QUEUE);

let original = null;
let fanOriginal = null;
let exitHookInstalled = false;

function restoreNow() {
  if (fanOriginal !== null) {
    try {
      fs.writeFileSync(FAN_QUEUE, String(fanOriginal));
    } catch {
      // As below.
    }
    fanOriginal = null;
  }
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
  const fanBefore = fanotifyQueueSize();
  if (fanBefore !== null) {
    try {
      fs.writeFileSync(FAN_QUEUE, String(size));
      if (fanOriginal === null) fanOriginal = fanBefore;
    } catch {
      // A kernel without the file, or not root: the fanotify contestants run at their default.
    }
  }
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', restoreNow);
  }
  return restoreNow;
}
