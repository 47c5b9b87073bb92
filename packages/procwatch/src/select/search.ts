/**
 * One pass over /proc: every process the selector accepts, in PID order, minus procwatch itself, optionally
 * reduced to the newest or oldest (pgrep -n/-o: by start time, ties broken by the higher/lower PID).
 */
import { listPids, readProcess, type ProcessInfo, type ReadParts } from '../proc/proc-table.js';
import type { Selector } from './criteria.js';

export type Pick = 'all' | 'newest' | 'oldest';

export interface SearchOptions {
  pick: Pick;
  /** Extra parts to read for output (-a needs the command line, --table needs status). */
  extra?: ReadParts;
  /** PIDs never reported (procwatch's own is always added). */
  exclude?: ReadonlySet<number>;
}

function mergeParts(a: ReadParts, b: ReadParts = {}): ReadParts {
  return { status: a.status || b.status, cmdline: a.cmdline || b.cmdline, exe: a.exe || b.exe };
}

/** True when `a` should replace `b` as the pick. */
function better(pick: Pick, a: ProcessInfo, b: ProcessInfo): boolean {
  const ta = a.stat.startTicks;
  const tb = b.stat.startTicks;
  if (pick === 'newest') return ta > tb || (ta === tb && a.pid > b.pid);
  return ta < tb || (ta === tb && a.pid < b.pid);
}

export function search(selector: Selector, options: SearchOptions): ProcessInfo[] {
  const parts = mergeParts(selector.needs, options.extra);
  const self = process.pid;
  const found: ProcessInfo[] = [];
  for (const pid of listPids()) {
    if (pid === self || options.exclude?.has(pid)) continue;
    const proc = readProcess(pid, parts);
    // Gone between readdir and read: skipped silently, as pgrep does.
    if (proc === undefined || !selector.matches(proc)) continue;
    if (options.pick === 'all') found.push(proc);
    else if (found.length === 0) found.push(proc);
    else if (better(options.pick, proc, found[0]!)) found[0] = proc;
  }
  return found;
}
