/**
 * The process event model: a matching process was seen to START, or it EXITed. Fixed shape; the snapshot
 * fields (name, command line, user) are read once, when procwatch first sees the process, so an EXIT event
 * carries them although the process is gone.
 */
import type { ByteString } from '../bytes.js';
import type { ProcessInfo } from '../proc/proc-table.js';
import type { ExitStatus } from './exit-status.js';
import { asBytes } from '@inotifykit/event-core';

export const PROC_EVENT_KINDS = ['START', 'EXIT'] as const;
/** START: first seen running (a new process, or with --existing one already running). EXIT: it ended. */
export type ProcEventKind = (typeof PROC_EVENT_KINDS)[number];

/** What procwatch knows about a watched process. */
export interface ProcSnapshot {
  readonly pid: number;
  readonly ppid: number;
  /** The 15-byte kernel name. */
  readonly comm: ByteString;
  /** The command line as pgrep -a shows it. */
  readonly commandLine: ByteString;
  readonly argv: readonly ByteString[];
  /** Effective uid. */
  readonly uid: number;
  /** Start time in ticks after boot: with the pid, the process's identity. */
  readonly startTicks: number;
}

export interface ProcEvent {
  readonly kind: ProcEventKind;
  /** When procwatch noticed it, ms since the epoch. */
  readonly time: number;
  readonly proc: ProcSnapshot;
  /** EXIT only, and only when known (see exit-status.ts). */
  readonly exit?: ExitStatus;
}

export function snapshot(info: ProcessInfo): ProcSnapshot {
  return {
    pid: info.pid,
    ppid: info.stat.ppid,
    comm: info.stat.comm,
    commandLine: asBytes(info.commandLine ?? `[${info.stat.comm}]`),
    argv: info.argv ?? [],
    uid: info.status?.euid ?? -1,
    startTicks: info.stat.startTicks,
  };
}
