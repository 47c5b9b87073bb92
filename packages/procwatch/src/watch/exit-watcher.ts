/**
 * Watching known processes for their exit. Two implementations behind one interface:
 * `PidfdExitWatcher` (pidfd_open + poll, told by the kernel the moment a process exits; Linux ≥ 5.3) and
 * `PollingExitWatcher` (re-reads /proc/[pid]/stat every interval). `createExitWatcher` picks the first that
 * works. A process is identified by its PID and its start time, so a reused PID is never mistaken for it.
 */
import type { ExitStatus } from './exit-status.js';
import { fromWaitStatus } from './exit-status.js';
import { readStat } from '../proc/proc-table.js';
import { hasEnded } from '../proc/stat.js';

export type ExitCallback = (status: ExitStatus | undefined) => void;

export interface ExitWatcher {
  /** 'pidfd' or 'poll', for messages and tests. */
  readonly kind: 'pidfd' | 'poll';
  /**
   * Call `onExit` once, when the process ends. Returns false (and never calls back) if the process is
   * already gone or its PID now belongs to another process.
   */
  watch(pid: number, startTicks: number, onExit: ExitCallback): boolean;
  /** Stop watching a PID (no callback). */
  unwatch(pid: number): void;
  /** Release everything; resolves once no worker thread is left blocked. */
  close(): Promise<void>;
}

/** The state of a watched process right now: running, ended (with status if it is a zombie), or gone. */
export function probe(pid: number, startTicks: number): { ended: false } | { ended: true; status: ExitStatus | undefined } {
  const stat = readStat(pid);
  if (stat === undefined || stat.startTicks !== startTicks) return { ended: true, status: undefined };
  if (hasEnded(stat.state)) {
    return { ended: true, status: stat.exitCode === undefined ? undefined : fromWaitStatus(stat.exitCode) };
  }
  return { ended: false };
}
