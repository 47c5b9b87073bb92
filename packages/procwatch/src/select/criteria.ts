/**
 * What to look for, as the user said it (`SelectOptions`) and compiled once into a predicate over processes
 * (`Selector`). The predicate follows pgrep's select_procs(): pattern on `comm` (or the command line with -f),
 * -x anchoring, -u on the effective uid, -P on the parent, -v inverting the result.
 */
import type { ProcessInfo, ReadParts } from '../proc/proc-table.js';
import { resolveUser } from '../users.js';
import { compileEre } from './ere.js';
import { asBytes, type ByteString } from '@inotifykit/event-core';

/** Selection options as given on the command line. */
export interface SelectOptions {
  /** Extended regexes, as bytes; a process matches if any does (pgrep accepts one). Empty: no pattern filter. */
  patterns: ByteString[];
  /** -f: match the full command line instead of the 15-byte name. */
  full: boolean;
  /** -x: the pattern must match the whole name (or command line). */
  exact: boolean;
  /** -i */
  ignoreCase: boolean;
  /** -v: select the processes that do NOT match. */
  inverse: boolean;
  /** -u: user names or uids (effective uid). */
  users: string[];
  /** -P: parent PIDs. */
  parents: number[];
}

/** A compiled selection. */
export interface Selector {
  /** What of each process must be read for `matches` to decide. */
  readonly needs: ReadParts;
  /** True when matching looks at the name, command line or user; false when the PID's parent alone decides
   *  (so a process already gone from /proc can still be matched, from what the kernel said about it). */
  readonly needsProc: boolean;
  matches(proc: ProcessInfo): boolean;
}

export function compileSelector(options: SelectOptions): Selector {
  const regexes = options.patterns.map((p) => compileEre(p, { exact: options.exact, ignoreCase: options.ignoreCase }));
  const uids = options.users.length > 0 ? new Set(options.users.map(resolveUser)) : undefined;
  const parents = options.parents.length > 0 ? new Set(options.parents) : undefined;
  const { full, inverse } = options;
  return {
    needs: { status: uids !== undefined, cmdline: full && regexes.length > 0 },
    needsProc: uids !== undefined || regexes.length > 0,
    matches(proc) {
      let match = true;
      if (parents && !parents.has(proc.stat.ppid)) match = false;
      else if (uids && !uids.has(proc.status?.euid ?? -1)) match = false;
      else if (regexes.length > 0) {
        const subject = full ? (proc.commandLine ?? asBytes('')) : proc.stat.comm;
        match = regexes.some((re) => re.test(subject));
      }
      return match !== inverse;
    },
  };
}
