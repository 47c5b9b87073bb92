/**
 * The kernel's process events connector (linux/cn_proc.h over NETLINK_CONNECTOR, group CN_IDX_PROC): a
 * record for every fork, exec, uid/gid change, setsid, ptrace attach, rename (comm), core dump and exit on
 * the machine, sent the moment it happens. Before Linux 6.6 listening needs CAP_NET_ADMIN (bind fails with
 * EPERM without it); since then any user may listen. Only the initial network, user and PID namespaces have
 * it: elsewhere socket() fails (EPROTONOSUPPORT) or the kernel never acks the subscription.
 *
 * `ProcConnector.open()` binds, asks for a large receive buffer and sends PROC_CN_MCAST_LISTEN; `start()`
 * starts a reader thread (proc-connector-thread.ts) that receives every record as it comes and reads
 * /proc for the kinds asked for right then, and hands batches to the main thread. Lost records are seen
 * two ways: recv's ENOBUFS, and a jump in the kernel's per-CPU sequence numbers (which its acks of
 * other listeners' subscriptions take numbers from too). `close()` sends
 * PROC_CN_MCAST_IGNORE (the kernel counts listeners and stops building records when none is left).
 *
 * With `taskstats` (and CAP_NET_ADMIN), a taskstats listener (taskstats.ts) is read by the same thread:
 * the exit statistics of a process whose exec's /proc/PID/stat could not be read (it was reaped first)
 * come as a 'taskstats' record, after its exec record and before its exit record (the kernel sends them
 * first; the thread reads the taskstats socket before a datagram with an exit record). They name it.
 * Those of every task, with ProcConnectorStartOptions.allTaskstats.
 */
import { ENOBUFS, ENOSYS } from './errno.js';
import { Wake } from './eventfd.js';
import { close as closeFd } from './fd.js';
import { NLMSG_DONE, NLMSG_HDRLEN, NETLINK_CONNECTOR, NetlinkError, netlinkDrain, netlinkRecv, netlinkSend, nlmsgAlign, openNetlink, setReceiveBuffer } from './netlink.js';
import { ConnectorThread, type ReaderPriority } from './proc-connector-thread.js';
import type { ConnectorReaderBatch } from './proc-connector-worker.js';
import { decodeTaskstats, openTaskstatsIfAllowed, type TaskstatsExit, type TaskstatsListener } from './taskstats.js';

export type { ReaderPriority } from './proc-connector-thread.js';

/** linux/connector.h */
export const CN_IDX_PROC = 1;
export const CN_VAL_PROC = 1;
/** struct cn_msg { struct cb_id { u32 idx, val; } id; u32 seq, ack; u16 len, flags; u8 data[]; } */
export const CN_MSG_LEN = 20;

/** enum proc_cn_mcast_op */
export const PROC_CN_MCAST_LISTEN = 1;
export const PROC_CN_MCAST_IGNORE = 2;

/** enum proc_event.what */
export const PROC_EVENT_NONE = 0x00000000;
export const PROC_EVENT_FORK = 0x00000001;
export const PROC_EVENT_EXEC = 0x00000002;
export const PROC_EVENT_UID = 0x00000004;
export const PROC_EVENT_GID = 0x00000040;
export const PROC_EVENT_SID = 0x00000080;
export const PROC_EVENT_PTRACE = 0x00000100;
export const PROC_EVENT_COMM = 0x00000200;
export const PROC_EVENT_COREDUMP = 0x40000000;
export const PROC_EVENT_EXIT = 0x80000000;

/** struct proc_event header: what (u32), cpu (u32), timestamp_ns (u64); the event_data union follows. */
const EVENT_DATA = 16;

interface EventBase {
  /** CLOCK_MONOTONIC when the kernel built the record, ns (the clock of process.hrtime). */
  readonly timestampNs: number;
  readonly cpu: number;
  /** The thread (task) the record is about; `tgid` is its process. They differ for a thread. */
  readonly pid: number;
  readonly tgid: number;
  /** The kernel's sequence number of the record on its CPU (cn_msg.seq; see SeqGaps). */
  readonly seq: number;
  /**
   * /proc/PID (the child's for a fork) as the reader thread found it when the record was received, for
   * the kinds asked for (ProcConnectorStartOptions.readProcOn): latin1 texts, a file it could not read
   * (the process was gone) undefined.
   */
  readonly proc?: ProcFiles;
}

/** Files of /proc/PID as read at once: one char per byte (latin1); cmdline its first 64 KiB. */
export interface ProcFiles {
  readonly stat: string | undefined;
  readonly cmdline: string | undefined;
  readonly status: string | undefined;
}

/** One process event, decoded. `comm` is a byte string: one char per byte (latin1), at most 15. */
export type ProcConnectorEvent =
  | (EventBase & { readonly type: 'fork'; readonly parentPid: number; readonly parentTgid: number })
  | (EventBase & { readonly type: 'exec' })
  | (EventBase & { readonly type: 'uid'; readonly ruid: number; readonly euid: number })
  | (EventBase & { readonly type: 'gid'; readonly rgid: number; readonly egid: number })
  | (EventBase & { readonly type: 'sid' })
  | (EventBase & { readonly type: 'ptrace'; readonly tracerPid: number; readonly tracerTgid: number })
  | (EventBase & { readonly type: 'comm'; readonly comm: string })
  | (EventBase & { readonly type: 'coredump'; readonly parentPid: number; readonly parentTgid: number })
  | (EventBase & {
      readonly type: 'exit';
      /** The wait(2) status word the parent will see (code << 8, or the signal, | 0x80 for a core dump). */
      readonly exitCode: number;
      /** The signal the parent is sent (SIGCHLD, or -1 / 0 for a thread): not the cause of death. */
      readonly exitSignal: number;
      readonly parentPid: number;
      readonly parentTgid: number;
    });

/**
 * A task's exit statistics from taskstats (see taskstats.ts), in the stream of records: before the
 * task's exit record; after its exec record from the reader thread, in any order from readNow() before
 * start(). `pid`/`tgid` as in `stats`.
 */
export interface TaskstatsRecord {
  readonly type: 'taskstats';
  readonly pid: number;
  readonly tgid: number;
  readonly stats: TaskstatsExit;
}

/** What a batch brings: the connector's events and, with taskstats, the exits' statistics. */
export type ProcConnectorRecord = ProcConnectorEvent | TaskstatsRecord;

/**
 * The event in a record's payload (the proc_event after nlmsghdr and cn_msg), or undefined for an ack
 * (PROC_EVENT_NONE) and for kinds this module does not know. For fork, `pid`/`tgid` are the child's.
 */
export function decodeProcEvent(buf: Buffer, offset: number, length: number, seq = 0): ProcConnectorEvent | undefined {
  if (length < EVENT_DATA + 8) return undefined;
  const what = buf.readUInt32LE(offset);
  const cpu = buf.readUInt32LE(offset + 4);
  const timestampNs = Number(buf.readBigUInt64LE(offset + 8));
  const d = offset + EVENT_DATA;
  const i32 = (n: number): number => buf.readInt32LE(d + 4 * n);
  const base = (pid: number, tgid: number): EventBase => ({ timestampNs, cpu, pid, tgid, seq });
  switch (what) {
    case PROC_EVENT_FORK:
      return { type: 'fork', ...base(i32(2), i32(3)), parentPid: i32(0), parentTgid: i32(1) };
    case PROC_EVENT_EXEC:
      return { type: 'exec', ...base(i32(0), i32(1)) };
    case PROC_EVENT_UID:
      return { type: 'uid', ...base(i32(0), i32(1)), ruid: buf.readUInt32LE(d + 8), euid: buf.readUInt32LE(d + 12) };
    case PROC_EVENT_GID:
      return { type: 'gid', ...base(i32(0), i32(1)), rgid: buf.readUInt32LE(d + 8), egid: buf.readUInt32LE(d + 12) };
    case PROC_EVENT_SID:
      return { type: 'sid', ...base(i32(0), i32(1)) };
    case PROC_EVENT_PTRACE:
      return { type: 'ptrace', ...base(i32(0), i32(1)), tracerPid: i32(2), tracerTgid: i32(3) };
    case PROC_EVENT_COMM: {
      const raw = buf.subarray(d + 8, Math.min(d + 24, offset + length));
      const nul = raw.indexOf(0);
      return { type: 'comm', ...base(i32(0), i32(1)), comm: raw.subarray(0, nul < 0 ? raw.length : nul).toString('latin1') };
    }
    case PROC_EVENT_COREDUMP:
      return { type: 'coredump', ...base(i32(0), i32(1)), parentPid: i32(2), parentTgid: i32(3) };
    case PROC_EVENT_EXIT:
      return {
        type: 'exit',
        ...base(i32(0), i32(1)),
        exitCode: buf.readUInt32LE(d + 8),
        exitSignal: i32(3),
        parentPid: i32(4),
        parentTgid: i32(5),
      };
    default:
      return undefined;
  }
}

/** The datagram that subscribes (LISTEN) or unsubscribes (IGNORE): nlmsghdr + cn_msg + the op (u32). */
export function mcastMessage(op: number, seq = 0): Buffer {
  const buf = Buffer.alloc(NLMSG_HDRLEN + CN_MSG_LEN + 4);
  buf.writeUInt32LE(buf.length, 0); // nlmsg_len
  buf.writeUInt16LE(NLMSG_DONE, 4); // nlmsg_type: the connector takes one-part messages
  buf.writeUInt32LE(seq, 8);
  const cn = NLMSG_HDRLEN;
  buf.writeUInt32LE(CN_IDX_PROC, cn);
  buf.writeUInt32LE(CN_VAL_PROC, cn + 4);
  buf.writeUInt32LE(seq, cn + 8);
  buf.writeUInt32LE(seq, cn + 12); // the kernel acks with cn_msg.ack = this + 1
  buf.writeUInt16LE(4, cn + 16); // len of the payload
  buf.writeUInt32LE(op, cn + CN_MSG_LEN);
  return buf;
}

/**
 * Every proc_event of one datagram (netlink may pack several messages into one), in order. Acks are
 * passed to `onAck` (err, cn_msg.ack) and left out. `onSeq` is given the CPU and sequence number of
 * every message, acks and kinds not decoded included: the kernel numbers them all from one counter.
 */
export function decodeDatagram(
  buf: Buffer,
  length: number,
  onEvent: (e: ProcConnectorEvent) => void,
  onAck?: (err: number, ack: number) => void,
  onSeq?: (cpu: number, seq: number) => void,
): void {
  let off = 0;
  while (off + NLMSG_HDRLEN <= length) {
    const msgLen = buf.readUInt32LE(off);
    if (msgLen < NLMSG_HDRLEN || off + msgLen > length) break;
    const type = buf.readUInt16LE(off + 4);
    const cn = off + NLMSG_HDRLEN;
    if (type === NLMSG_DONE && msgLen >= NLMSG_HDRLEN + CN_MSG_LEN && buf.readUInt32LE(cn) === CN_IDX_PROC && buf.readUInt32LE(cn + 4) === CN_VAL_PROC) {
      const dataLen = Math.min(buf.readUInt16LE(cn + 16), msgLen - NLMSG_HDRLEN - CN_MSG_LEN);
      const data = cn + CN_MSG_LEN;
      if (dataLen >= 8) onSeq?.(buf.readUInt32LE(data + 4), buf.readUInt32LE(cn + 8));
      if (dataLen >= EVENT_DATA + 4 && buf.readUInt32LE(data) === PROC_EVENT_NONE) onAck?.(buf.readUInt32LE(data + EVENT_DATA), buf.readUInt32LE(cn + 12));
      else {
        const event = decodeProcEvent(buf, data, dataLen, buf.readUInt32LE(cn + 8));
        if (event) onEvent(event);
      }
    }
    off += nlmsgAlign(msgLen);
  }
}

export interface ProcConnectorOptions {
  /** Receive buffer to ask for, bytes (default 8 MiB: ~100k records of slack when the reader falls behind). */
  receiveBufferBytes?: number;
  /**
   * Also listen to taskstats (default false): where allowed (CAP_NET_ADMIN, the initial namespaces, a
   * kernel with it) and not switched off by INOTIFYKIT_TASKSTATS=0; else silently without.
   */
  taskstats?: boolean;
}

/** What one batch brought: the records in order, and whether the kernel dropped some before them. */
export interface ProcConnectorBatch {
  readonly events: ProcConnectorRecord[];
  /** Records were lost before or among these: recv said ENOBUFS, or the sequence numbers jumped. */
  readonly overflow: boolean;
  /** With `overflow`, how it was seen, in words ("receive buffer overrun (ENOBUFS) 1 time(s)", "sequence gap on CPU 1: 3 record(s) missing"). */
  readonly overflowReason?: string;
}

/** Datagrams read per batch at most (readNow without the thread), so a flood cannot hold the main thread for long. */
const MAX_PER_BATCH = 4096;
const DEFAULT_RCVBUF = 8 << 20;

let nextSeq = (process.pid & 0xffff) << 16;

/** How the records are read once start() is called. */
export interface ProcConnectorStartOptions {
  /**
   * The kinds whose process is read from /proc the moment the record is received (on the reader
   * thread), into the event's `proc`. Exec is the one that matters: a program can be gone 1 ms later.
   */
  readProcOn?: readonly ProcConnectorEvent['type'][];
  /** With taskstats: every task's exit statistics (default: only those of execs gone before they could be read). */
  allTaskstats?: boolean;
  /** Let the reader thread ask for SCHED_FIFO (else nice -20) where the kernel allows it (default true). */
  raisePriority?: boolean;
}

const WHAT: Record<ProcConnectorEvent['type'], number> = {
  fork: PROC_EVENT_FORK,
  exec: PROC_EVENT_EXEC,
  uid: PROC_EVENT_UID,
  gid: PROC_EVENT_GID,
  sid: PROC_EVENT_SID,
  ptrace: PROC_EVENT_PTRACE,
  comm: PROC_EVENT_COMM,
  coredump: PROC_EVENT_COREDUMP,
  exit: PROC_EVENT_EXIT,
};

export class ProcConnector {
  readonly fd: number;
  /** What the kernel granted (see setReceiveBuffer). */
  readonly receiveBufferBytes: number;
  /** The taskstats listener read along (undefined: not asked for, not allowed or not there). */
  readonly taskstats: TaskstatsListener | undefined;
  /** Times the taskstats socket overran (exits' statistics lost; not records of the connector). */
  taskstatsOverruns = 0;
  readonly #buf = Buffer.alloc(8192);
  readonly #wake: Wake;
  readonly #gaps = new SeqGaps();
  #thread: ConnectorThread | undefined;
  #closed = false;
  readonly #onExit = (): void => {
    this.#unsubscribe();
    if (this.#thread) {
      this.#thread.settleForExit();
      void this.#thread.stop(() => this.#wake.signal());
    }
  };

  private constructor(fd: number, rcvbuf: number, taskstats: TaskstatsListener | undefined) {
    this.fd = fd;
    this.receiveBufferBytes = rcvbuf;
    this.taskstats = taskstats;
    this.#wake = new Wake();
    // A process that ends without close() still unsubscribes and lets the thread go.
    process.once('exit', this.#onExit);
  }

  /**
   * Subscribes. Throws NetlinkError: from `bind` with EPERM when the process lacks CAP_NET_ADMIN (before
   * Linux 6.6), from `socket` where there is no connector (another network namespace), or
   * `PROC_CN_MCAST_LISTEN` with the errno the kernel acked (ENOSYS: no ack came).
   */
  static open(options: ProcConnectorOptions = {}): ProcConnector {
    const fd = openNetlink(NETLINK_CONNECTOR, CN_IDX_PROC);
    try {
      // The default buffer while the ack is awaited: a tiny one asked for (--receive-buffer) can overrun
      // with other processes' records before the ack is read, and the ack is lost with them.
      let rcvbuf = setReceiveBuffer(fd, DEFAULT_RCVBUF);
      const seq = nextSeq++ >>> 0;
      netlinkSend(fd, mcastMessage(PROC_CN_MCAST_LISTEN, seq));
      // The kernel handles the request within send() and multicasts its ack (cn_msg.ack = seq + 1; other
      // listeners' acks carry theirs). A refusal is an ack with an errno.
      // No ack at all: the kernel ignored the request (it does inside a user or PID namespace).
      let answer: number | undefined;
      for (let i = 0; i < 256 && answer === undefined; i++) {
        const n = netlinkRecv(fd, probeBuf);
        if (n === -ENOBUFS) continue; // records were lost, maybe not the ack: read on
        if (n < 0) break;
        decodeDatagram(probeBuf, n, () => {}, (err, ack) => {
          if (ack === ((seq + 1) >>> 0)) answer = err;
        });
      }
      if (answer !== 0) throw new NetlinkError('PROC_CN_MCAST_LISTEN', answer ?? ENOSYS);
      if (options.receiveBufferBytes !== undefined && options.receiveBufferBytes !== DEFAULT_RCVBUF) rcvbuf = setReceiveBuffer(fd, options.receiveBufferBytes);
      return new ProcConnector(fd, rcvbuf, options.taskstats === true ? openTaskstatsIfAllowed() : undefined);
    } catch (err) {
      closeFd(fd);
      throw err;
    }
  }

  /**
   * Reads what is queued now, synchronously: on the main thread (non-blocking, at most MAX_PER_BATCH
   * datagrams) before start(), through a pass of the reader thread after it. Throws NetlinkError for an
   * error other than EAGAIN/EINTR/ENOBUFS.
   */
  readNow(): ProcConnectorBatch {
    if (this.#thread) {
      const events: ProcConnectorRecord[] = [];
      const reasons: string[] = [];
      this.#thread.drainNow(() => this.#wake.signal(), (raw) => {
        const batch = this.#decodeBatch(raw);
        events.push(...batch.events);
        if (batch.overflowReason !== undefined) reasons.push(batch.overflowReason);
      });
      return lossOf(events, reasons);
    }
    const events: ProcConnectorRecord[] = [];
    const overruns = netlinkDrain(this.fd, this.#buf, MAX_PER_BATCH, (n) => decodeDatagram(this.#buf, n, (e) => events.push(e), undefined, this.#gaps.note));
    // Without the thread the order between the two sockets is not kept: the consumer waits a little.
    if (this.taskstats) {
      const { exits, overruns: lost } = this.taskstats.readNow(MAX_PER_BATCH);
      this.taskstatsOverruns += lost;
      for (const stats of exits) events.push({ type: 'taskstats', pid: stats.pid, tgid: stats.tgid, stats });
    }
    return lossOf(events, [overrunReason(overruns), this.#gaps.take()]);
  }

  /**
   * Starts the reader thread: `onBatch` is called on the main thread with each batch until close(). A
   * failure of the thread goes to `onError` and ends the reading. Resolves once the thread reads, with
   * the priority it got.
   */
  start(onBatch: (batch: ProcConnectorBatch) => void, onError: (err: unknown) => void, options: ProcConnectorStartOptions = {}): Promise<ReaderPriority | undefined> {
    const thread = new ConnectorThread({
      fd: this.fd,
      wakeFd: this.#wake.fd,
      taskstatsFd: this.taskstats?.fd ?? -1,
      taskstatsAll: options.allTaskstats ?? false,
      readOn: (options.readProcOn ?? ['exec']).map((t) => WHAT[t]),
      raisePriority: options.raisePriority ?? true,
      onBatch: (raw) => {
        if (!this.#closed) onBatch(this.#decodeBatch(raw));
      },
      onError: (err) => {
        if (!this.#closed) onError(err);
      },
    });
    this.#thread = thread;
    return thread.reading();
  }

  /** A batch of the thread: its datagrams decoded, with what it read of /proc on each record's event. */
  #decodeBatch(raw: ConnectorReaderBatch): ProcConnectorBatch {
    const buf = Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
    const reads = new Map<number, (number | string | null)[]>();
    for (let i = 0; i < raw.reads.length; i += 5) {
      const index = raw.reads[i] as number;
      const list = reads.get(index) ?? [];
      list.push(...raw.reads.slice(i + 1, i + 5));
      reads.set(index, list);
    }
    const events: ProcConnectorRecord[] = [];
    const fromTaskstats = new Set(raw.taskstats);
    this.taskstatsOverruns += raw.taskstatsOverflows;
    let off = 0;
    raw.sizes.forEach((size, index) => {
      if (fromTaskstats.has(index)) {
        for (const stats of decodeTaskstats(buf.subarray(off, off + size), size, this.taskstats!.family)) events.push({ type: 'taskstats', pid: stats.pid, tgid: stats.tgid, stats });
        off += size;
        return;
      }
      const read = reads.get(index);
      decodeDatagram(buf.subarray(off, off + size), size, (e) => events.push(read ? withProc(e, read) : e), undefined, this.#gaps.note);
      off += size;
    });
    return lossOf(events, [overrunReason(raw.overflows), this.#gaps.take()]);
  }

  /** Unsubscribes and closes; resolves once the reader thread has stopped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    process.removeListener('exit', this.#onExit);
    this.#unsubscribe();
    if (this.#thread) await this.#thread.stop(() => this.#wake.signal());
    closeFd(this.fd);
    this.taskstats?.close();
    this.#wake.close();
  }

  #unsubscribe(): void {
    try {
      netlinkSend(this.fd, mcastMessage(PROC_CN_MCAST_IGNORE, nextSeq++ >>> 0));
    } catch {
      // Closing anyway: the socket's end also drops the subscription's records.
    }
  }
}

/** An event with the /proc files read for its process: [pid, stat, cmdline, status] groups of the thread. */
function withProc(e: ProcConnectorEvent, read: (number | string | null)[]): ProcConnectorEvent {
  const pid = e.type === 'fork' ? e.pid : e.tgid;
  for (let i = 0; i < read.length; i += 4) {
    if (read[i] !== pid) continue;
    const text = (v: number | string | null): string | undefined => (typeof v === 'string' ? v : undefined);
    return { ...e, proc: { stat: text(read[i + 1]!), cmdline: text(read[i + 2]!), status: text(read[i + 3]!) } };
  }
  return e;
}

/** A batch's events and why records were lost (the reasons given; none: nothing was). */
function lossOf(events: ProcConnectorRecord[], reasons: readonly (string | undefined)[]): ProcConnectorBatch {
  const said = reasons.filter((r): r is string => r !== undefined);
  return said.length === 0 ? { events, overflow: false } : { events, overflow: true, overflowReason: said.join('; ') };
}

function overrunReason(overruns: number): string | undefined {
  return overruns > 0 ? `receive buffer overrun (ENOBUFS) ${overruns} time(s)` : undefined;
}

/**
 * Lost records, told by their sequence numbers: the kernel numbers every message it sends per CPU
 * (cn_msg.seq, from a per-CPU counter, with the CPU in the record, both set under one lock), so a jump
 * on one CPU means messages that never reached this socket: an overrun recv reported (ENOBUFS), or one
 * whose errno the reader could not read, or a message the kernel failed to allocate (it sends with
 * GFP_NOWAIT and says nothing). Every message counts, not only the decoded events: the kernel's acks of
 * other listeners' subscriptions (PROC_EVENT_NONE, sent to every listener) take numbers from the same
 * counter, and leaving them out made a spurious gap each time another listener came or went.
 */
class SeqGaps {
  readonly #last = new Map<number, number>();
  #gaps: string[] = [];

  /** One message's CPU and number, in the order received. */
  readonly note = (cpu: number, seq: number): void => {
    const last = this.#last.get(cpu);
    const step = last === undefined ? 1 : (seq - last) >>> 0;
    // A step of 0 or "backwards" (a huge step) is not a loss: a replayed or reordered number.
    if (step > 1 && step < 0x80000000) this.#gaps.push(`sequence gap on CPU ${cpu}: ${step - 1} record(s) missing (${last! + 1}..${seq - 1})`);
    this.#last.set(cpu, seq);
  };

  /** The gaps seen since the last take, in words (undefined: none). */
  take(): string | undefined {
    if (this.#gaps.length === 0) return undefined;
    const text = this.#gaps.length > 3 ? [...this.#gaps.slice(0, 3), `${this.#gaps.length - 3} more`].join(', ') : this.#gaps.join(', ');
    this.#gaps = [];
    return text;
  }
}

const probeBuf = Buffer.alloc(8192);
