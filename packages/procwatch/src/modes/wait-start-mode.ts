/**
 * --wait-start PATTERN: block until a matching process runs, then print it as pgrep would (honours -l, -a,
 * -d, -n, -o) and exit 0. If one already runs, that is immediate. /proc is scanned every --interval.
 */
import type { ResolvedArgs } from '../args/parse.js';
import { renderPidList } from '../output/pid-list.js';
import { hasEnded } from '../proc/stat.js';
import { compileSelector } from '../select/criteria.js';
import { search } from '../select/search.js';
import { writeErr, writeOut } from '../output/write.js';
import { Deadline, EXIT_TIMEOUT, WATCHES_ESTABLISHED } from './deadline.js';
import { asBytes } from '@inotifykit/event-core';

export async function runWaitStart(args: ResolvedArgs): Promise<number> {
  const { output, watch } = args;
  const selector = compileSelector(args.select);
  const extra = output.style === 'full' ? { cmdline: true } : {};
  const look = (): boolean => {
    const found = search(selector, { pick: args.pick, extra }).filter((p) => !hasEnded(p.stat.state));
    if (found.length === 0) return false;
    if (!output.quiet) writeOut(renderPidList(found, { style: output.style, delimiter: output.delimiter ?? asBytes('\n'), count: output.count }));
    return true;
  };
  if (look()) return 0;
  if (!output.quiet) writeErr(WATCHES_ESTABLISHED);
  return new Promise<number>((resolve) => {
    const timer = setInterval(() => {
      if (!look()) return;
      clearInterval(timer);
      deadline.cancel();
      resolve(0);
    }, watch.intervalMs);
    const deadline = new Deadline(watch.timeoutMs, () => {
      clearInterval(timer);
      resolve(EXIT_TIMEOUT);
    });
  });
}
