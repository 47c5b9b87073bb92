/**
 * Chooses the exit watcher: pidfds when the kernel and libc allow it, else polling /proc. The only place
 * that decides between them (and the `--no-pidfd` switch, which also lets tests exercise the fallback).
 */
import { close, pidfdOpen } from '@inotifykit/sys';
import type { ExitWatcher } from './exit-watcher.js';
import { PidfdExitWatcher } from './pidfd-watcher.js';
import { PollingExitWatcher } from './poll-watcher.js';

export interface ExitWatcherChoice {
  /** false: always poll /proc. */
  pidfd: boolean;
  /** Polling interval for the fallback, ms. */
  intervalMs: number;
}

/** True when pidfd_open works here (Linux ≥ 5.3, not blocked by seccomp). */
function pidfdWorks(): boolean {
  try {
    const fd = pidfdOpen(process.pid);
    if (fd < 0) return false;
    close(fd);
    return true;
  } catch {
    return false; // koffi could not load: the fallback still works.
  }
}

export function createExitWatcher(choice: ExitWatcherChoice): ExitWatcher {
  const polling = new PollingExitWatcher(choice.intervalMs);
  return choice.pidfd && pidfdWorks() ? new PidfdExitWatcher(polling) : polling;
}
