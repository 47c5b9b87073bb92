/**
 * Who caused an event: /proc/PID/comm (the name, bytes) and the effective uid from /proc/PID/status, read
 * once per batch and process. A process that has exited since (a short `touch`) has neither; its pid is
 * still known.
 */
import { readFileSync } from 'node:fs';
import type { ByteString } from '../../model/bytes.js';
import { asBytes } from '../../model/bytes.js';

export interface ProcessInfo {
  readonly comm: ByteString | undefined;
  readonly uid: number | undefined;
}

const UNKNOWN: ProcessInfo = { comm: undefined, uid: undefined };

export class ProcessInfoBatch {
  readonly #seen = new Map<number, ProcessInfo>();

  of(pid: number): ProcessInfo {
    let info = this.#seen.get(pid);
    if (!info) this.#seen.set(pid, (info = lookUp(pid)));
    return info;
  }
}

function lookUp(pid: number): ProcessInfo {
  if (pid <= 0) return UNKNOWN;
  let comm: ByteString | undefined;
  let uid: number | undefined;
  try {
    const text = readFileSync(`/proc/${pid}/comm`, 'latin1');
    comm = asBytes(text.endsWith('\n') ? text.slice(0, -1) : text);
    // Uid: real, effective, saved, filesystem
    const m = /\nUid:\t\d+\t(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    if (m) uid = Number(m[1]);
  } catch {
    // gone already
  }
  return comm === undefined && uid === undefined ? UNKNOWN : { comm, uid };
}
