/**
 * --wait-exit PID...: block until every given process has exited (pidwait). A PID that does not exist counts
 * as already exited. With pidfds the wait ends the moment the last process exits.
 */
import type { ResolvedArgs } from '../args/parse.js';
import { readStat } from '../proc/proc-table.js';
import { hasEnded } from '../proc/stat.js';
import { createExitWatcher } from '../watch/select-watcher.js';
import { writeErr } from '../output/write.js';
import { Deadline, EXIT_TIMEOUT, WATCHES_ESTABLISHED } from './deadline.js';

export async function runWaitExit(args: ResolvedArgs, pids: number[]): Promise<number> {
  const watcher = createExitWatcher({ pidfd: args.watch.pidfd, intervalMs: args.watch.intervalMs });
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  let pending = 0;
  const onExit = () => {
    pending -= 1;
    if (pending === 0) finish(0);
  };
  for (const pid of new Set(pids)) {
    const stat = readStat(pid);
    if (stat === undefined || hasEnded(stat.state)) continue;
    if (watcher.watch(pid, stat.startTicks, onExit)) pending += 1;
  }
  if (pending === 0) finish(0);
  else if (!args.output.quiet) writeErr(WATCHES_ESTABLISHED);
  const deadline = new Deadline(args.watch.timeoutMs, () => finish(EXIT_TIMEOUT));
  const code = await done;
  deadline.cancel();
  await watcher.close();
  return code;
}
