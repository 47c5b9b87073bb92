/**
 * Parsing of `/proc/[pid]/stat` (proc(5)). The name (`comm`) sits in parentheses and may itself contain
 * spaces and `)`, so the fields are split after the LAST `)`.
 */
import type { ByteString } from '../bytes.js';
import { asBytes } from '@inotifykit/event-core';

/** One-letter scheduler state: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, X dead, I idle. */
export type ProcState = string;

/** The fields of `/proc/[pid]/stat` that procwatch uses. Times are in clock ticks (USER_HZ). */
export interface ProcStat {
  readonly pid: number;
  /** The kernel's task name, at most 15 bytes (TASK_COMM_LEN - 1). */
  readonly comm: ByteString;
  readonly state: ProcState;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  /** User-mode CPU time, ticks. */
  readonly utime: number;
  /** Kernel-mode CPU time, ticks. */
  readonly stime: number;
  readonly numThreads: number;
  /** Start time after boot, ticks. Together with the pid it identifies one process across PID reuse. */
  readonly startTicks: number;
  /** The wait(2) status, as the parent will see it; meaningful only once the process is a zombie (Linux ≥ 3.5). */
  readonly exitCode: number | undefined;
}

/** Field numbers from proc(5), 1-based; `rest[i]` holds field i + 3. */
const F = { state: 3, ppid: 4, pgrp: 5, session: 6, utime: 14, stime: 15, numThreads: 20, startTicks: 22, exitCode: 52 };

/** Parse the bytes of a stat file (read as latin1). Returns undefined for a malformed or empty file. */
export function parseStat(text: ByteString): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  const exitField = rest[F.exitCode - 3];
  return {
    pid: Number(text.slice(0, open - 1)),
    comm: asBytes(text.slice(open + 1, close)),
    state: rest[0] ?? '?',
    ppid: field(F.ppid),
    pgrp: field(F.pgrp),
    session: field(F.session),
    utime: field(F.utime),
    stime: field(F.stime),
    numThreads: field(F.numThreads),
    startTicks: field(F.startTicks),
    exitCode: exitField === undefined ? undefined : Number(exitField),
  };
}

/** Zombie (exited, not yet reaped) or dead: the process has ended even though its /proc entry remains. */
export function hasEnded(state: ProcState): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}
