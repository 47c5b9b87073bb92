/**
 * Per-task exit statistics (linux/taskstats.h) over generic netlink: the kernel sends a listener a
 * struct taskstats for every task that exits on the CPUs it registered for, from do_exit() itself, before
 * the proc connector's exit record for that task. It carries what /proc/PID had: the name (ac_comm), the
 * real uid and gid, the parent, the exit code. So a process reaped before /proc/PID could be read can
 * still be named at its exit.
 *
 * `TaskstatsListener.open()` opens a NETLINK_GENERIC socket, resolves the "TASKSTATS" family's id
 * (CTRL_CMD_GETFAMILY) and registers for the online CPUs (TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, a cpulist
 * such as "0-3" from /sys/devices/system/cpu/online; CPUs brought online later are not covered).
 * Registering needs CAP_NET_ADMIN (the command is GENL_ADMIN_PERM: EPERM without it) and the initial
 * user and PID namespaces (EINVAL elsewhere); a kernel without CONFIG_TASKSTATS has no family (ENOENT).
 * `close()` deregisters.
 *
 * Each exit is one message: TASKSTATS_TYPE_AGGR_PID { TASKSTATS_TYPE_PID, TASKSTATS_TYPE_STATS } for the
 * task, and, when it was the last task of a thread group of more than one, TASKSTATS_TYPE_AGGR_TGID
 * { TASKSTATS_TYPE_TGID, TASKSTATS_TYPE_STATS } after it: the group's summed times (its name and ids are
 * not filled in). decodeTaskstats() gives the AGGR_PID part, with the group's id from the AGGR_TGID part
 * or ac_tgid (version 12 on).
 */
import fs from 'node:fs';
import os from 'node:os';
import { EAGAIN, EINTR, ENOBUFS, ENOENT, ENOSYS } from './errno.js';
import { close as closeFd } from './fd.js';
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NETLINK_GENERIC, NetlinkError, netlinkDrain, netlinkRecv, netlinkSend, nlmsgAlign, openNetlink, setReceiveBuffer } from './netlink.js';

/** linux/genetlink.h */
export const GENL_ID_CTRL = 16;
export const GENL_HDRLEN = 4;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
/** linux/netlink.h nlmsg_flags */
export const NLM_F_REQUEST = 1;
export const NLM_F_ACK = 4;

/** linux/taskstats.h */
export const TASKSTATS_GENL_NAME = 'TASKSTATS';
export const TASKSTATS_GENL_VERSION = 1;
export const TASKSTATS_CMD_GET = 1;
export const TASKSTATS_CMD_NEW = 2;
export const TASKSTATS_TYPE_PID = 1;
export const TASKSTATS_TYPE_TGID = 2;
export const TASKSTATS_TYPE_STATS = 3;
export const TASKSTATS_TYPE_AGGR_PID = 4;
export const TASKSTATS_TYPE_AGGR_TGID = 5;
export const TASKSTATS_CMD_ATTR_REGISTER_CPUMASK = 3;
export const TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK = 4;
/** linux/acct.h ac_flag bits */
export const AFORK = 0x01;
export const ASU = 0x02;
export const ACORE = 0x08;
export const AXSIG = 0x10;
/** The task was the last of its thread group (version 12 on). */
export const AGROUP = 0x20;

/**
 * Offsets in struct taskstats (x86-64 and every other Linux ABI: the header aligns the u64 fields
 * itself), checked against linux/taskstats.h version 13 with offsetof. Fields are only appended.
 */
const TS = {
  version: 0, // u16
  ac_exitcode: 4, // u32
  ac_flag: 8, // u8
  ac_nice: 9, // u8 (task_nice, signed)
  ac_comm: 80, // char[32]
  ac_sched: 112, // u8
  ac_uid: 120, // u32
  ac_gid: 124,
  ac_pid: 128,
  ac_ppid: 132,
  ac_btime: 136, // u32, seconds since the epoch
  ac_etime: 144, // u64, µs
  ac_utime: 152,
  ac_stime: 160,
  ac_btime64: 344, // version 10 on
  ac_tgid: 368, // version 12 on
} as const;
const TS_COMM_LEN = 32;
/** Up to ac_stime: what versions 1 to 13 all have. */
const TS_MIN_LEN = TS.ac_stime + 8;

/** One task's exit, as taskstats told it. `comm` one char per byte (latin1). */
export interface TaskstatsExit {
  /** The task (thread) id, and its process (its thread group; the same for a single-threaded one). */
  readonly pid: number;
  readonly tgid: number;
  readonly comm: string;
  readonly uid: number;
  readonly gid: number;
  /** The parent process. */
  readonly ppid: number;
  /** The wait(2)-style status word (code << 8, or the signal). */
  readonly exitCode: number;
  /** ac_flag (AFORK: never exec'd; ASU; ACORE; AXSIG: killed by a signal; AGROUP: the group's last). */
  readonly flags: number;
  readonly nice: number;
  /** When it began, seconds since the epoch; how long it ran, µs. */
  readonly beginTime: number;
  readonly elapsedUs: number;
  readonly userUs: number;
  readonly systemUs: number;
  /** struct taskstats.version the kernel filled. */
  readonly version: number;
}

/** nlmsghdr + genlmsghdr + attributes (type, payload) for a request to `family`. */
export function genlMessage(family: number, cmd: number, version: number, attrs: readonly [number, Buffer][], seq: number, flags = NLM_F_REQUEST): Buffer {
  const len = NLMSG_HDRLEN + GENL_HDRLEN + attrs.reduce((n, [, v]) => n + nlmsgAlign(4 + v.length), 0);
  const buf = Buffer.alloc(len);
  buf.writeUInt32LE(len, 0);
  buf.writeUInt16LE(family, 4);
  buf.writeUInt16LE(flags, 6);
  buf.writeUInt32LE(seq >>> 0, 8);
  buf.writeUInt8(cmd, NLMSG_HDRLEN);
  buf.writeUInt8(version, NLMSG_HDRLEN + 1);
  let off = NLMSG_HDRLEN + GENL_HDRLEN;
  for (const [type, value] of attrs) {
    buf.writeUInt16LE(4 + value.length, off);
    buf.writeUInt16LE(type, off + 2);
    value.copy(buf, off + 4);
    off += nlmsgAlign(4 + value.length);
  }
  return buf;
}

/** A C string attribute's payload. */
function cString(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'latin1');
}

/** Each attribute in buf[start, end): (type without the nested/byte-order bits, payload offset, payload length). */
function eachAttr(buf: Buffer, start: number, end: number, f: (type: number, off: number, len: number) => void): void {
  let off = start;
  while (off + 4 <= end) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > end) return;
    f(buf.readUInt16LE(off + 2) & 0x3fff, off + 4, len - 4);
    off += nlmsgAlign(len);
  }
}

/** One struct taskstats (of `len` bytes at `off`), or undefined when too short. `tgid` when not in it. */
function decodeStats(buf: Buffer, off: number, len: number, pid: number, tgid: number | undefined): TaskstatsExit | undefined {
  if (len < TS_MIN_LEN) return undefined;
  const u32 = (at: number): number => buf.readUInt32LE(off + at);
  const u64 = (at: number): number => Number(buf.readBigUInt64LE(off + at));
  const version = buf.readUInt16LE(off + TS.version);
  const raw = buf.subarray(off + TS.ac_comm, off + TS.ac_comm + TS_COMM_LEN);
  const nul = raw.indexOf(0);
  const tsTgid = version >= 12 && len >= TS.ac_tgid + 4 ? u32(TS.ac_tgid) : 0;
  return {
    pid,
    tgid: tgid ?? (tsTgid > 0 ? tsTgid : pid),
    comm: raw.subarray(0, nul < 0 ? raw.length : nul).toString('latin1'),
    uid: u32(TS.ac_uid),
    gid: u32(TS.ac_gid),
    ppid: u32(TS.ac_ppid),
    exitCode: u32(TS.ac_exitcode),
    flags: buf.readUInt8(off + TS.ac_flag),
    nice: buf.readInt8(off + TS.ac_nice),
    beginTime: version >= 10 && len >= TS.ac_btime64 + 8 ? u64(TS.ac_btime64) : u32(TS.ac_btime),
    elapsedUs: u64(TS.ac_etime),
    userUs: u64(TS.ac_utime),
    systemUs: u64(TS.ac_stime),
    version,
  };
}

/**
 * The task exits in one datagram of the taskstats socket (TASKSTATS_CMD_NEW messages of `family`), in
 * order; other messages are passed over. The AGGR_TGID part of a group's last exit only lends its tgid.
 */
export function decodeTaskstats(buf: Buffer, length: number, family: number): TaskstatsExit[] {
  const out: TaskstatsExit[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= length) {
    const msgLen = buf.readUInt32LE(off);
    if (msgLen < NLMSG_HDRLEN || off + msgLen > length) break;
    const attrs = off + NLMSG_HDRLEN + GENL_HDRLEN;
    if (buf.readUInt16LE(off + 4) === family && msgLen >= NLMSG_HDRLEN + GENL_HDRLEN && buf.readUInt8(off + NLMSG_HDRLEN) === TASKSTATS_CMD_NEW) {
      let task: { pid: number; off: number; len: number } | undefined;
      let tgid: number | undefined;
      eachAttr(buf, attrs, off + msgLen, (type, at, len) => {
        if (type !== TASKSTATS_TYPE_AGGR_PID && type !== TASKSTATS_TYPE_AGGR_TGID) return;
        let id: number | undefined;
        let stats: { off: number; len: number } | undefined;
        eachAttr(buf, at, at + len, (inner, iat, ilen) => {
          if ((inner === TASKSTATS_TYPE_PID || inner === TASKSTATS_TYPE_TGID) && ilen >= 4) id = buf.readUInt32LE(iat);
          else if (inner === TASKSTATS_TYPE_STATS) stats = { off: iat, len: ilen };
        });
        if (type === TASKSTATS_TYPE_AGGR_TGID) tgid = id;
        else if (id !== undefined && stats) task = { pid: id, ...stats };
      });
      const exit = task && decodeStats(buf, task.off, task.len, task.pid, tgid);
      if (exit) out.push(exit);
    }
    off += nlmsgAlign(msgLen);
  }
  return out;
}

/** The online CPUs as a cpulist ("0-3,6"): what the kernel takes for the cpumask attributes. */
export function onlineCpus(): string {
  try {
    const text = fs.readFileSync('/sys/devices/system/cpu/online', 'latin1').trim();
    if (/^[\d,-]+$/.test(text)) return text;
  } catch {
    // No sysfs: every CPU Node counts.
  }
  return `0-${Math.max(0, os.availableParallelism() - 1)}`;
}

const DEFAULT_RCVBUF = 4 << 20;
let nextSeq = ((process.pid & 0xffff) << 16) | 0x8000;
const probeBuf = Buffer.alloc(16384);

/**
 * One request and its answer: sends `message` (with NLM_F_ACK for a command without a reply) and reads
 * until the kernel's reply to `seq` (a message of `replyType`, or NLMSG_ERROR: 0 is the ack). Returns the
 * reply's offset and length in probeBuf, or 'ack'. Exits of other tasks read meanwhile are `other`.
 */
function request(fd: number, message: Buffer, seq: number, what: string, replyType: number | undefined, other?: (n: number) => void): { off: number; len: number } | 'ack' {
  netlinkSend(fd, message);
  // The kernel answers within send(): the reply is queued by now. A few exit messages may come first.
  for (let i = 0; i < 4096; i++) {
    const n = netlinkRecv(fd, probeBuf);
    if (n === -ENOBUFS || n === -EINTR) continue;
    if (n === -EAGAIN) break;
    if (n < 0) throw new NetlinkError('recv', -n);
    let answer: { off: number; len: number } | 'ack' | undefined;
    let off = 0;
    while (off + NLMSG_HDRLEN <= n) {
      const len = probeBuf.readUInt32LE(off);
      if (len < NLMSG_HDRLEN || off + len > n) break;
      const type = probeBuf.readUInt16LE(off + 4);
      if (probeBuf.readUInt32LE(off + 8) === seq >>> 0) {
        if (type === NLMSG_ERROR && len >= NLMSG_HDRLEN + 4) {
          const err = -probeBuf.readInt32LE(off + NLMSG_HDRLEN);
          if (err !== 0) throw new NetlinkError(what, err);
          answer = 'ack';
        } else if (type === replyType) answer ??= { off, len };
        else if (type === NLMSG_DONE) answer ??= 'ack';
      }
      off += nlmsgAlign(len);
    }
    if (answer !== undefined) return answer;
    other?.(n);
  }
  throw new NetlinkError(what, ENOSYS);
}

/** The id of generic netlink family `name` (CTRL_CMD_GETFAMILY). Throws NetlinkError (ENOENT: no such family). */
export function resolveGenlFamily(fd: number, name: string): number {
  const seq = nextSeq++ >>> 0;
  const reply = request(fd, genlMessage(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, [[CTRL_ATTR_FAMILY_NAME, cString(name)]], seq), seq, 'CTRL_CMD_GETFAMILY', GENL_ID_CTRL);
  let id: number | undefined;
  if (reply !== 'ack') {
    eachAttr(probeBuf, reply.off + NLMSG_HDRLEN + GENL_HDRLEN, reply.off + reply.len, (type, at, len) => {
      if (type === CTRL_ATTR_FAMILY_ID && len >= 2) id = probeBuf.readUInt16LE(at);
    });
  }
  if (id === undefined) throw new NetlinkError('CTRL_CMD_GETFAMILY', ENOENT);
  return id;
}

export interface TaskstatsOptions {
  /** Receive buffer to ask for, bytes (default 4 MiB: some 10k exits of slack). */
  receiveBufferBytes?: number;
}

/**
 * A registered taskstats listener: exits of every task on the online CPUs, from the moment open()
 * returns. Non-blocking socket (`fd`); read with readNow() or by polling `fd` and decodeTaskstats().
 */
export class TaskstatsListener {
  readonly fd: number;
  readonly family: number;
  readonly cpus: string;
  readonly receiveBufferBytes: number;
  readonly #buf = Buffer.alloc(16384);
  #closed = false;

  private constructor(fd: number, family: number, cpus: string, rcvbuf: number) {
    this.fd = fd;
    this.family = family;
    this.cpus = cpus;
    this.receiveBufferBytes = rcvbuf;
  }

  /**
   * Opens and registers. Throws NetlinkError: `TASKSTATS_CMD_ATTR_REGISTER_CPUMASK` with EPERM without
   * CAP_NET_ADMIN (EINVAL outside the initial user or PID namespace), `CTRL_CMD_GETFAMILY` with ENOENT
   * on a kernel without taskstats, `socket` where there is no generic netlink.
   */
  static open(options: TaskstatsOptions = {}): TaskstatsListener {
    const fd = openNetlink(NETLINK_GENERIC, 0);
    try {
      const family = resolveGenlFamily(fd, TASKSTATS_GENL_NAME);
      const cpus = onlineCpus();
      const rcvbuf = setReceiveBuffer(fd, options.receiveBufferBytes ?? DEFAULT_RCVBUF);
      const seq = nextSeq++ >>> 0;
      const message = genlMessage(family, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION, [[TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, cString(cpus)]], seq, NLM_F_REQUEST | NLM_F_ACK);
      request(fd, message, seq, 'TASKSTATS_CMD_ATTR_REGISTER_CPUMASK', undefined);
      return new TaskstatsListener(fd, family, cpus, rcvbuf);
    } catch (err) {
      closeFd(fd);
      throw err;
    }
  }

  /** The exits queued now (non-blocking), and how many times recv said ENOBUFS (exits were lost). */
  readNow(max = 4096): { exits: TaskstatsExit[]; overruns: number } {
    const exits: TaskstatsExit[] = [];
    const overruns = netlinkDrain(this.fd, this.#buf, max, (n) => exits.push(...decodeTaskstats(this.#buf, n, this.family)));
    return { exits, overruns };
  }

  /** Deregisters and closes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      netlinkSend(this.fd, genlMessage(this.family, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION, [[TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, cString(this.cpus)]], nextSeq++ >>> 0));
    } catch {
      // Closing anyway: the kernel drops a listener whose socket is gone at its next send.
    }
    closeFd(this.fd);
  }
}

/**
 * A listener unless switched off (INOTIFYKIT_TASKSTATS=0) or not allowed / not there: undefined then,
 * silently (the caller does without).
 */
export function openTaskstatsIfAllowed(options: TaskstatsOptions = {}): TaskstatsListener | undefined {
  if (process.env.INOTIFYKIT_TASKSTATS === '0') return undefined;
  try {
    return TaskstatsListener.open(options);
  } catch {
    return undefined;
  }
}
