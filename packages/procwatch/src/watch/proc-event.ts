/**
 * The process event model. START: a matching process was seen to begin (an exec with the proc connector; a
 * new process in /proc with the scan; a running one with --existing). EXIT: it ended. The opt-in kinds
 * (proc connector only): FORK, a matching process was forked; UID/GID, its effective uid/gid changed;
 * COMM, it renamed itself. OVERFLOW: the kernel dropped events (no process). Fixed shape; the snapshot
 * fields (name, command line, user) are read when procwatch first sees the process, so an EXIT event
 * carries them although the process is gone.
 */
import type { ByteString } from '../bytes.js';
import type { ProcessInfo } from '../proc/proc-table.js';
import type { ExitStatus } from './exit-status.js';
import { asBytes } from '@inotifykit/event-core';

export const PROC_EVENT_KINDS = ['START', 'EXIT', 'FORK', 'UID', 'GID', 'COMM', 'OVERFLOW'] as const;
export type ProcEventKind = (typeof PROC_EVENT_KINDS)[number];
/** The kinds a user can ask for with --events (OVERFLOW always comes). */
export const SELECTABLE_KINDS = ['START', 'EXIT', 'FORK', 'UID', 'GID', 'COMM'] as const satisfies readonly ProcEventKind[];
/** What -m shows without --events. */
export const DEFAULT_KINDS: readonly ProcEventKind[] = ['START', 'EXIT'];

/** What procwatch knows about a watched process. */
export interface ProcSnapshot {
  readonly pid: number;
  /** 0 when unknown (a process gone before /proc could be read, whose fork procwatch did not see). */
  readonly ppid: number;
  /** The 15-byte kernel name; empty when unknown. */
  readonly comm: ByteString;
  /** The command line as pgrep -a shows it; empty when unknown. */
  readonly commandLine: ByteString;
  readonly argv: readonly ByteString[];
  /** Effective uid; -1 when unknown. */
  readonly uid: number;
  /** Effective gid; -1 when unknown. */
  readonly gid: number;
  /** Start time in ticks after boot: with the pid, the process's identity; -1 when unknown. */
  readonly startTicks: number;
}

export interface ProcEvent {
  readonly kind: ProcEventKind;
  /** When it happened (the kernel's timestamp with the connector) or was noticed (scan), ms since the epoch. */
  readonly time: number;
  readonly proc: ProcSnapshot;
  /** EXIT only, and only when known (see exit-status.ts). */
  readonly exit?: ExitStatus;
  /** OVERFLOW only: how the loss was seen ("receive buffer overrun (ENOBUFS) …", "sequence gap on CPU …"). */
  readonly reason?: string;
}

export function snapshot(info: ProcessInfo): ProcSnapshot {
  return {
    pid: info.pid,
    ppid: info.stat.ppid,
    comm: info.stat.comm,
    commandLine: asBytes(info.commandLine ?? `[${info.stat.comm}]`),
    argv: info.argv ?? [],
    uid: info.status?.euid ?? -1,
    gid: info.status?.egid ?? -1,
    startTicks: info.stat.startTicks,
  };
}

/** A process known only from the kernel's record: it was gone from /proc before it could be read. */
export function bareSnapshot(pid: number, ppid: number): ProcSnapshot {
  return { pid, ppid, comm: asBytes(''), commandLine: asBytes(''), argv: [], uid: -1, gid: -1, startTicks: -1 };
}

/** The OVERFLOW event's stand-in: no process. */
export const NO_PROCESS: ProcSnapshot = bareSnapshot(0, 0);
