/**
 * --wait-start PATTERN: block until a matching process runs, then print it as pgrep would (honours -l, -a,
 * -d, -n, -o) and exit 0. If one already runs, that is immediate. With the proc connector the wait ends at
 * the exec of a matching program (a process that lives 1 ms counts); with the scan, /proc is looked at
 * every --interval.
 */
import { asBytes } from '@inotifykit/event-core';
import type { ResolvedArgs } from '../args/parse.js';
import { renderPidList } from '../output/pid-list.js';
import type { ProcessInfo } from '../proc/proc-table.js';
import { hasEnded } from '../proc/stat.js';
import { compileSelector } from '../select/criteria.js';
import { search } from '../select/search.js';
import { writeErr, writeOut } from '../output/write.js';
import { createProcessSource } from '../watch/choose-source.js';
import { sourceOptions } from './source-options.js';
import type { ProcSnapshot } from '../watch/proc-event.js';
import { Deadline, EXIT_TIMEOUT, WATCHES_ESTABLISHED } from './deadline.js';

/** A started process as the PID list prints it, when it is gone from /proc already. */
function asInfo(p: ProcSnapshot): ProcessInfo {
  return {
    pid: p.pid,
    stat: { pid: p.pid, comm: p.comm, state: 'Z', ppid: p.ppid, pgrp: 0, session: 0, utime: 0, stime: 0, numThreads: 1, startTicks: p.startTicks, exitCode: undefined },
    commandLine: p.commandLine,
  };
}

/** Said on stderr (unless -q) when the kernel dropped process records during the wait: how it was seen. */
export function lostRecords(reason: string | undefined): string {
  return `procwatch: the kernel dropped process events (${reason ?? 'records lost'}): /proc was rescanned, but a process that started and ended meanwhile was missed`;
}

export async function runWaitStart(args: ResolvedArgs): Promise<number> {
  const { output, watch } = args;
  const selector = compileSelector(args.select);
  const extra = output.style === 'full' ? { cmdline: true } : {};
  const print = (found: readonly ProcessInfo[]): void => {
    if (!output.quiet) writeOut(renderPidList(found, { style: output.style, delimiter: output.delimiter ?? asBytes('\n'), count: output.count }));
  };
  const running = (): ProcessInfo[] => search(selector, { pick: args.pick, extra }).filter((p) => !hasEnded(p.stat.state));
  let ended = false;
  let finish: (code: number) => void = () => {};
  let failed: (err: unknown) => void = () => {};
  const done = new Promise<number>((resolve, reject) => {
    finish = resolve;
    failed = reject;
  });
  // Subscribed before the first look, so a process that starts in between is not lost.
  const source = createProcessSource(
    sourceOptions(args, selector, new Set(['START']), (err) => failed(err)),
    (event) => {
      if (event.kind === 'OVERFLOW') {
        // The source rescans /proc next, and a matching process found there comes as a START; one that
        // started and ended inside the lost records cannot be seen, which the user is told.
        if (!output.quiet) writeErr(lostRecords(event.reason));
        return;
      }
      if (ended) return;
      ended = true;
      // Those running now, as search prints them; the one that started, if it has ended already.
      const found = running();
      print(found.length > 0 ? found : [asInfo(event.proc)]);
      finish(0);
    },
  );
  try {
    const now = running();
    if (now.length > 0) {
      print(now);
      return 0;
    }
    await source.start();
    if (!output.quiet) writeErr(WATCHES_ESTABLISHED);
    const deadline = new Deadline(watch.timeoutMs, () => finish(EXIT_TIMEOUT));
    try {
      return await done;
    } finally {
      deadline.cancel();
    }
  } finally {
    await source.close();
  }
}
