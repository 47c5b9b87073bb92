/**
 * pidof's matching (procps-ng pidof.c): NAME matches a process whose argv[0] (without a leading `-` of a
 * login shell), argv[0]'s base name, or the target or base name of /proc/[pid]/exe equals it. Kernel threads
 * and zombies (no command line) never match. Results list the newest PID first, per NAME in the order given.
 */
import type { ByteString } from '../bytes.js';
import { listPids, readProcess, type ProcessInfo } from '../proc/proc-table.js';
import { asBytes } from '@inotifykit/event-core';

const basename = (p: ByteString): ByteString => asBytes(p.slice(p.lastIndexOf('/') + 1));

function matchesName(proc: ProcessInfo, program: ByteString): boolean {
  const argv = proc.argv ?? [];
  if (argv.length === 0) return false;
  let arg0 = argv[0]!;
  if (arg0.startsWith('-')) arg0 = asBytes(arg0.slice(1));
  const exe = proc.exe ?? '';
  if (program === basename(arg0) || basename(program) === arg0 || program === arg0) return true;
  if (exe !== '' && (program === basename(exe) || program === exe)) return true;
  // A space in argv[0] means the process rewrote its title (setproctitle): fall back to the kernel name.
  return arg0.includes(' ') && program === proc.stat.comm;
}

export interface PidofOptions {
  /** -s: only the first (newest) PID per name. */
  singleShot: boolean;
  /** PIDs never reported (procwatch's own is always added). */
  omit: ReadonlySet<number>;
}

/** PIDs per the pidof rules, in pidof's order. */
export function pidof(names: readonly ByteString[], options: PidofOptions): number[] {
  const procs: ProcessInfo[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid || options.omit.has(pid)) continue;
    const proc = readProcess(pid, { cmdline: true, exe: true });
    if (proc !== undefined) procs.push(proc);
  }
  const out: number[] = [];
  for (const name of names) {
    if (name === '') continue;
    const hits = procs.filter((p) => matchesName(p, name)).map((p) => p.pid).reverse();
    out.push(...(options.singleShot ? hits.slice(0, 1) : hits));
  }
  return out;
}
