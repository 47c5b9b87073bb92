/**
 * The `/proc` walk: list the processes (thread-group leaders only, as `/proc` lists them) and read the parts
 * of each that a caller needs. A process can exit between any two reads; such a process is reported as gone
 * (`undefined`) and never as an error. Pure reading, no matching: this module could move to event-core as-is.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ByteString } from '../bytes.js';
import { commandLine, splitArgv } from './cmdline.js';
import { hasEnded, parseStat, type ProcStat } from './stat.js';
import { parseStatus, type ProcStatus } from './status.js';
import { asBytes } from '@inotifykit/event-core';

/** Which optional parts to read. The stat file is always read. */
export interface ReadParts {
  status?: boolean;
  cmdline?: boolean;
  exe?: boolean;
}

/** One process as read from `/proc` at one moment. */
export interface ProcessInfo {
  readonly pid: number;
  readonly stat: ProcStat;
  /** Present when `status` was asked for. */
  readonly status?: ProcStatus;
  /** argv; present when `cmdline` was asked for. Empty for kernel threads and zombies. */
  readonly argv?: ByteString[];
  /** The one-line command as pgrep -a shows it; present when `cmdline` was asked for. */
  readonly commandLine?: ByteString;
  /** Target of `/proc/[pid]/exe` ('' when unreadable: kernel thread, or another user's process without root). */
  readonly exe?: ByteString;
}

const PROC = '/proc';

/** PIDs of all processes, in the kernel's order (ascending), which is also pgrep's order. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(PROC)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  // The kernel already lists PIDs in ascending order; sorting makes it a guarantee rather than an accident.
  return pids.sort((a, b) => a - b);
}

/**
 * Errors that mean "this process is not there for us": it exited (ENOENT, or ESRCH mid-read), or /proc hides
 * it (EACCES/EPERM under hidepid). Anything else — EMFILE above all — is a real failure and is thrown:
 * taking it for an exit would report processes as gone while they run.
 */
const ABSENT = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM']);

/** Read one file of a process as a byte string; undefined when the process is gone or hidden. */
function readPart(pid: number, part: string): ByteString | undefined {
  try {
    return asBytes(readFileSync(`${PROC}/${pid}/${part}`, 'latin1'));
  } catch (err) {
    if (ABSENT.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
}

/** Read the stat file only: the cheapest liveness and identity check. */
export function readStat(pid: number): ProcStat | undefined {
  const text = readPart(pid, 'stat');
  return text === undefined ? undefined : parseStat(text);
}

/** Read a process; undefined when it vanished before everything asked for could be read. */
export function readProcess(pid: number, parts: ReadParts = {}): ProcessInfo | undefined {
  const stat = readStat(pid);
  if (stat === undefined) return undefined;
  let status: ProcStatus | undefined;
  let argv: ByteString[] | undefined;
  let line: ByteString | undefined;
  let exe: ByteString | undefined;
  if (parts.status) {
    const text = readPart(pid, 'status');
    if (text === undefined) return undefined;
    status = parseStatus(text);
  }
  if (parts.cmdline) {
    const raw = readPart(pid, 'cmdline');
    if (raw === undefined) return undefined;
    argv = splitArgv(raw);
    line = commandLine(raw, stat.comm, hasEnded(stat.state));
  }
  if (parts.exe) {
    try {
      exe = asBytes(readlinkSync(`${PROC}/${pid}/exe`, 'latin1'));
    } catch {
      exe = asBytes('');
    }
  }
  return { pid, stat, status, argv, commandLine: line, exe };
}

/** The texts of a process's stat, cmdline and status files, each undefined when it could not be read. */
export interface ProcTexts {
  readonly stat: string | undefined;
  readonly cmdline: string | undefined;
  readonly status: string | undefined;
}

/**
 * A process from the texts of its files read a moment ago (by the proc connector's reader thread, or
 * readProcessNow): undefined when even stat is missing; a part missing after it is left out. `parts`: only
 * those are parsed (a selector's `needs`, to decide on a process before paying for the rest).
 */
export function processFromTexts(pid: number, texts: ProcTexts, parts: ReadParts = { status: true, cmdline: true }): ProcessInfo | undefined {
  const stat = texts.stat === undefined ? undefined : parseStat(asBytes(texts.stat));
  if (stat === undefined) return undefined;
  const raw = texts.cmdline === undefined || !parts.cmdline ? undefined : asBytes(texts.cmdline);
  return {
    pid,
    stat,
    status: texts.status === undefined || !parts.status ? undefined : parseStatus(asBytes(texts.status)),
    argv: raw === undefined ? undefined : splitArgv(raw),
    commandLine: raw === undefined ? undefined : commandLine(raw, stat.comm, hasEnded(stat.state)),
  };
}

/**
 * As much of a process as can still be read, in the order that matters when it is about to vanish: stat
 * (name, parent), the command line, then status (user). undefined only when even stat is gone; a part
 * that vanished after it is left out. For a process seen at its exec that may live a millisecond.
 */
export function readProcessNow(pid: number): ProcessInfo | undefined {
  const stat = readPart(pid, 'stat');
  const cmdline = stat === undefined ? undefined : readPart(pid, 'cmdline');
  const status = cmdline === undefined ? undefined : readPart(pid, 'status');
  return processFromTexts(pid, { stat, cmdline, status });
}

/** Seconds since the epoch at which the system booted (`btime` in /proc/stat). */
export function bootTimeSeconds(): number {
  const match = /^btime (\d+)$/m.exec(readFileSync(`${PROC}/stat`, 'latin1'));
  return match ? Number(match[1]) : 0;
}

/**
 * Clock ticks per second for the times in /proc/[pid]/stat. USER_HZ is 100 on every Linux ABI Node runs on
 * (the kernel converts to it for userspace), so sysconf(_SC_CLK_TCK) is not worth an FFI call.
 */
export const CLOCK_TICKS = 100;
