/**
 * The body of the proc connector's reader thread (see proc-connector-thread.ts). It runs in a
 * worker_threads Worker from its own source text, so both functions here must stay self-contained: no
 * imports, nothing from outside but their arguments and the globals (Atomics, Buffer).
 *
 * Why a thread: an exec record carries only the PID. A program like true(1) runs for a millisecond and
 * its parent reaps it right after, so its name must be read from /proc while it still exists. The main
 * thread may be busy for longer than that (rendering, GC, or not scheduled on a loaded machine); this
 * thread does nothing but wait in poll(), recv() every queued datagram and, for the records asked for,
 * read /proc/PID/{stat,cmdline,status} at once. Where the kernel allows it, it runs under SCHED_FIFO
 * (the lowest real-time priority), so that it is woken ahead of ordinary processes.
 */

/** The libc calls the reader thread makes. */
export interface ConnectorCalls {
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  poll(fds: Buffer, nfds: number, timeout: number): number;
  open(path: string, flags: number): number;
  read(fd: number, buf: Buffer, count: number): number;
  close(fd: number): number;
  /** errno through `__errno_location()` (see worker-calls.ts: 0 can come after a failure). */
  errno(): number;
  /** This thread to SCHED_FIFO 1, else nice -20: 2, 1, or 0 when neither was allowed. */
  raisePriority(): number;
}

export function bindConnectorCalls(require: (id: string) => unknown, koffiPath: string): ConnectorCalls {
  interface Koffi {
    load(name: string | null): { func(signature: string): (...args: unknown[]) => unknown };
    decode(pointer: unknown, type: string): number;
  }
  const koffi = require(koffiPath) as Koffi;
  const libc = koffi.load(null);
  const f = <T>(signature: string): T => libc.func(signature) as T;
  const sched = f<(pid: number, policy: number, param: Buffer) => number>('int sched_setscheduler(int pid, int policy, void *param)');
  const setpriority = f<(which: number, who: number, prio: number) => number>('int setpriority(int which, uint32_t who, int prio)');
  const errnoLocation = f<() => unknown>('int *__errno_location()');
  const SCHED_FIFO = 1;
  // Threads this one might start do not inherit the policy.
  const SCHED_RESET_ON_FORK = 0x40000000;
  return {
    recv: f('intptr_t recv(int fd, void *buf, size_t len, int flags)'),
    poll: f('int poll(void *fds, uint64_t nfds, int timeout)'),
    open: f('int open(const char *path, int flags)'),
    read: f('intptr_t read(int fd, void *buf, size_t count)'),
    close: f('int close(int fd)'),
    errno: () => koffi.decode(errnoLocation(), 'int'),
    raisePriority() {
      // pid 0 and PRIO_PROCESS 0 mean the calling thread on Linux, not the whole process.
      const param = Buffer.alloc(4);
      param.writeInt32LE(1, 0);
      if (sched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, param) === 0) return 2;
      return setpriority(0, 0, -20) === 0 ? 1 : 0;
    },
  };
}

export interface ConnectorReaderShared {
  readonly fd: number;
  readonly wakeFd: number;
  /** A registered taskstats socket (see taskstats.ts), read in the same loop; -1: none. */
  readonly taskstatsFd: number;
  /** Hand over every task's statistics, not only those of processes whose exec could not be read. */
  readonly taskstatsAll: boolean;
  /** Control words, indexed by `at`. */
  readonly ctrl: Int32Array;
  readonly at: ConnectorReaderControl;
  /** proc_event.what values whose process is read from /proc when the record is received. */
  readonly readOn: readonly number[];
  /** Try SCHED_FIFO / nice -20 for this thread. */
  readonly raisePriority: boolean;
}

/** Indices into `ctrl`. */
export interface ConnectorReaderControl {
  /** Main → reader: stop. */
  readonly STOP: number;
  /** Main asks for a pass to the end of the socket queue; the reader says which request it finished. */
  readonly PASS_REQUESTED: number;
  readonly PASS_DONE: number;
  /** recv or poll failed for good: its errno. */
  readonly FAILED: number;
  /** 1 once koffi is loaded; what raisePriority() gave + 1 once the reader has read the queue to its end once. */
  readonly LOADED: number;
  readonly PRIORITY: number;
}

/**
 * One batch as posted to the main thread: the datagrams back to back (`sizes` their lengths), how many
 * times recv said ENOBUFS before or among them, and the /proc files read, flat:
 * [datagram index, pid, stat, cmdline, status] with null for a file that could not be read.
 * `taskstats`: the indices of the datagrams that came from the taskstats socket (the others are the
 * connector's), and `taskstatsOverflows` its ENOBUFS. Only the statistics of processes whose exec's stat
 * could not be read are handed over (unless `taskstatsAll`), before that process's exit record (the
 * kernel queues them first, and the socket is read before a datagram with an exit is handed over) and
 * after its exec record.
 */
export interface ConnectorReaderBatch {
  readonly data: Uint8Array;
  readonly sizes: number[];
  readonly overflows: number;
  readonly reads: (number | string | null)[];
  readonly taskstats: number[];
  readonly taskstatsOverflows: number;
}

export function connectorReaderMain(shared: ConnectorReaderShared, calls: ConnectorCalls, post: (batch: ConnectorReaderBatch) => void): void {
  const { fd, wakeFd, taskstatsFd, taskstatsAll, ctrl, at, readOn } = shared;
  const { recv, poll, open, read, close, errno } = calls;
  const EAGAIN = 11;
  const EINTR = 4;
  const ENOBUFS = 105;
  const MSG_DONTWAIT = 0x40;
  const O_RDONLY_CLOEXEC = 0o2000000;
  // Only POLLNVAL is fatal: POLLERR is how poll shows a pending ENOBUFS, which the next recv returns.
  const POLLNVAL = 0x20;
  /** Datagrams per posted batch at most, so that a flood reaches the main thread in pieces. */
  const MAX_BATCH = 512;
  /** Records whose process is read together (see readPending). */
  const READ_EVERY = 16;
  /** A safety net only: the wake eventfd ends the poll when the main thread wants something. */
  const POLL_TIMEOUT_MS = 1000;
  const NLMSG_HDRLEN = 16;
  const CN_MSG_LEN = 20;
  const PROC_EVENT_EXEC = 2;
  const PROC_EVENT_EXIT = 0x80000000;
  const wanted = new Set(readOn);
  // The taskstats socket is not polled: every task's statistics are followed by its exit record on the
  // connector, which wakes this thread and makes it read them (polling both woke it twice per exit: +20 %
  // CPU over runs of true(1)).
  const pollFds = Buffer.alloc(16);
  pollFds.writeInt32LE(fd, 0);
  pollFds.writeInt16LE(1, 4);
  pollFds.writeInt32LE(wakeFd, 8);
  pollFds.writeInt16LE(1, 12);
  const wakeBuf = Buffer.alloc(8);
  const dgram = Buffer.alloc(8192);
  const file = Buffer.alloc(65536);
  const nap = new Int32Array(new SharedArrayBuffer(4));

  /** One file of /proc/PID as latin1 text (one char per byte; its first 64 KiB), or null when it cannot be read. */
  const readFile = (path: string): string | null => {
    const f = open(path, O_RDONLY_CLOEXEC);
    if (f < 0) return null;
    let len = 0;
    for (;;) {
      const n = Number(read(f, file.subarray(len), file.length - len));
      if (n <= 0) break;
      len += n;
      if (len === file.length) break;
    }
    close(f);
    return file.toString('latin1', 0, len);
  };

  let chunks: Buffer[] = [];
  let sizes: number[] = [];
  let reads: (number | string | null)[] = [];
  let overflows = 0;
  let taskstats: number[] = [];
  let taskstatsOverflows = 0;
  const flush = (): void => {
    if (sizes.length === 0 && overflows === 0 && taskstatsOverflows === 0) return;
    // Not from Buffer's pool (Buffer.concat's small results are): the posted bytes are transferred.
    const data = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const c of chunks) {
      data.set(c, at);
      at += c.length;
    }
    post({ data, sizes, overflows, reads, taskstats, taskstatsOverflows });
    chunks = [];
    sizes = [];
    reads = [];
    overflows = 0;
    taskstats = [];
    taskstatsOverflows = 0;
  };
  const tsBuf = Buffer.alloc(taskstatsFd >= 0 ? 16384 : 0);
  let taskstatsOk = taskstatsFd >= 0;
  /**
   * Only the statistics of a process whose exec's stat could not be read (it was gone) are handed over:
   * the main thread has no use for the others (every exit on the machine, threads' too). `unread`: those
   * processes, until their statistics or their exit record come.
   */
  const unread = new Set<number>();
  const UNREAD_MAX = 8192;
  /** Statistics read before their process's exec record was (the socket is read at any exit): the last few. */
  const early = new Map<number, Buffer>();
  const EARLY_MAX = 256;
  /** Statistics of the current datagram's execs found in `early`: they go right after it. */
  let late: Buffer[] = [];
  const pushTaskstats = (b: Buffer): void => {
    taskstats.push(sizes.length);
    chunks.push(b);
    sizes.push(b.length);
  };
  /** The task of a taskstats datagram: TASKSTATS_TYPE_AGGR_PID's TASKSTATS_TYPE_PID (-1: none). */
  const taskstatsPid = (n: number): number => {
    if (n < NLMSG_HDRLEN + 4) return -1;
    const end = Math.min(n, tsBuf.readUInt32LE(0));
    for (let off = NLMSG_HDRLEN + 4; off + 4 <= end; ) {
      const len = tsBuf.readUInt16LE(off);
      if (len < 4 || off + len > end) return -1;
      if ((tsBuf.readUInt16LE(off + 2) & 0x3fff) === 4) {
        for (let at = off + 4; at + 8 <= off + len; ) {
          const ilen = tsBuf.readUInt16LE(at);
          if (ilen < 4) return -1;
          if ((tsBuf.readUInt16LE(at + 2) & 0x3fff) === 1) return tsBuf.readUInt32LE(at + 4);
          at += (ilen + 3) & ~3;
        }
        return -1;
      }
      off += (len + 3) & ~3;
    }
    return -1;
  };
  /** Every datagram queued on the taskstats socket: the wanted into the batch (its errors other than ENOBUFS: that socket is left). */
  const drainTaskstats = (): void => {
    while (taskstatsOk) {
      const n = Number(recv(taskstatsFd, tsBuf, tsBuf.length, MSG_DONTWAIT));
      if (n > 0) {
        const pid = taskstatsPid(n);
        if (pid < 0) continue;
        if (taskstatsAll || unread.delete(pid)) pushTaskstats(Buffer.from(tsBuf.subarray(0, n)));
        else {
          early.delete(pid);
          early.set(pid, Buffer.from(tsBuf.subarray(0, n)));
          if (early.size > EARLY_MAX) early.delete(early.keys().next().value!);
        }
        continue;
      }
      const error = n < 0 ? errno() : 0;
      if (error === EINTR) continue;
      if (error === ENOBUFS) {
        taskstatsOverflows += 1;
        continue;
      }
      // EAGAIN (or errno read 0): the queue is empty. Anything else: taskstats is given up, the connector goes on.
      if (error !== EAGAIN && error !== 0) taskstatsOk = false;
      return;
    }
  };
  /**
   * For a connector datagram with exit records: the statistics first (the kernel queued them before),
   * then the exited processes' are no longer waited for.
   */
  const beforeExits = (n: number): void => {
    let drained = false;
    for (let off = 0; off + NLMSG_HDRLEN <= n; ) {
      const len = dgram.readUInt32LE(off);
      if (len < NLMSG_HDRLEN || off + len > n) return;
      const ev = off + NLMSG_HDRLEN + CN_MSG_LEN;
      if (len >= NLMSG_HDRLEN + CN_MSG_LEN + 24 && dgram.readUInt32LE(ev) === PROC_EVENT_EXIT) {
        if (!drained) drainTaskstats();
        drained = true;
        const pid = dgram.readInt32LE(ev + 16);
        unread.delete(pid);
        early.delete(pid);
      }
      off += (len + 3) & ~3;
    }
  };
  /** Processes whose stat is read, the rest still to be: [datagram index, pid, stat] triples. */
  let pending: (number | string | null)[] = [];
  /**
   * The processes of the records asked for in one datagram: their stat at once (the name, which a
   * pattern needs, and the state: a process can be reaped a millisecond after its exec), the command line
   * and status later (readPending), so that in a burst no stat waits for the others' slower files.
   */
  const readStats = (n: number, index: number): void => {
    let off = 0;
    while (off + NLMSG_HDRLEN <= n) {
      const len = dgram.readUInt32LE(off);
      if (len < NLMSG_HDRLEN || off + len > n) return;
      const ev = off + NLMSG_HDRLEN + CN_MSG_LEN;
      if (len >= NLMSG_HDRLEN + CN_MSG_LEN + 24 && wanted.has(dgram.readUInt32LE(ev))) {
        // Every kind this thread reads for has (pid, tgid) first in its data; fork has the child's third.
        const isFork = dgram.readUInt32LE(ev) === 1;
        const pid = dgram.readInt32LE(ev + 16 + (isFork ? 8 : 0));
        const tgid = dgram.readInt32LE(ev + 20 + (isFork ? 8 : 0));
        if (pid !== tgid) {
          off += (len + 3) & ~3;
          continue;
        }
        const stat = readFile(`/proc/${pid}/stat`);
        pending.push(index, pid, stat);
        // Gone: its statistics will name it (already read, or to be passed on when they come).
        if (stat === null && taskstatsOk && !taskstatsAll && dgram.readUInt32LE(ev) === PROC_EVENT_EXEC) {
          const got = early.get(pid);
          if (got) {
            early.delete(pid);
            late.push(got);
          } else {
            unread.add(pid);
            if (unread.size > UNREAD_MAX) unread.delete(unread.values().next().value!);
          }
        }
      }
      off += (len + 3) & ~3;
    }
  };
  /** The command lines and status files of the processes whose stat was read. */
  const readPending = (): void => {
    for (let i = 0; i < pending.length; i += 3) {
      const pid = pending[i + 1] as number;
      const stat = pending[i + 2] as string | null;
      const cmdline = stat === null ? null : readFile(`/proc/${pid}/cmdline`);
      const status = stat === null ? null : readFile(`/proc/${pid}/status`);
      reads.push(pending[i]!, pid, stat, cmdline, status);
    }
    pending = [];
  };

  // Said once the queue has been read to its end: what queued up while this thread started (koffi's load,
  // the main thread's /proc scan: on a busy machine thousands of records) is behind it, so from then on an
  // exec is read as it comes. Said earlier, a program run right after the caller's "ready" could wait
  // behind that backlog and be reaped before its /proc was read.
  const priority = (shared.raisePriority ? calls.raisePriority() : 0) + 1;
  const caughtUp = (): void => {
    if (Atomics.load(ctrl, at.PRIORITY) !== 0) return;
    Atomics.store(ctrl, at.PRIORITY, priority);
    Atomics.notify(ctrl, at.PRIORITY);
  };
  let empties = 0;
  while (Atomics.load(ctrl, at.STOP) === 0) {
    const requested = Atomics.load(ctrl, at.PASS_REQUESTED);
    const n = Number(recv(fd, dgram, dgram.length, MSG_DONTWAIT));
    if (n > 0) {
      empties = 0;
      // A task's taskstats is queued before its exit record is sent: read it first, so it comes first.
      if (taskstatsOk) beforeExits(n);
      const index = sizes.length;
      // The process first (a short program's parent reaps it about a millisecond after its exec), the copy after.
      if (wanted.size > 0) readStats(n, index);
      chunks.push(Buffer.from(dgram.subarray(0, n)));
      sizes.push(n);
      for (const b of late) pushTaskstats(b);
      late = [];
      // A few at a time: a record waits for at most READ_EVERY others before the rest of its process is read.
      if (pending.length >= 3 * READ_EVERY) readPending();
      if (sizes.length >= MAX_BATCH) {
        readPending();
        flush();
      }
      continue;
    }
    const error = n < 0 ? errno() : 0;
    if (error === EINTR) continue;
    if (error === ENOBUFS) {
      overflows += 1;
      continue;
    }
    if (n === 0 || (error !== EAGAIN && error !== 0)) {
      readPending();
      flush();
      Atomics.store(ctrl, at.FAILED, n === 0 ? -1 : error);
      Atomics.notify(ctrl, at.PASS_DONE);
      caughtUp();
      return;
    }
    // The queue is empty: read the processes and what taskstats has, hand over the batch, then sleep
    // until the socket or the wake fd is readable.
    drainTaskstats();
    readPending();
    flush();
    Atomics.store(ctrl, at.PASS_DONE, requested);
    Atomics.notify(ctrl, at.PASS_DONE);
    caughtUp();
    // poll said readable yet recv found nothing (errno read 0 where a failure was): never a busy loop.
    if (++empties > 2) Atomics.wait(nap, 0, 0, 1);
    if (Atomics.load(ctrl, at.PASS_REQUESTED) !== requested) continue;
    const ready = poll(pollFds, 2, POLL_TIMEOUT_MS);
    if (ready > 0 && (pollFds.readInt16LE(6) & POLLNVAL) !== 0) {
      Atomics.store(ctrl, at.FAILED, 9); // EBADF: the socket is gone
      Atomics.notify(ctrl, at.PASS_DONE);
      caughtUp();
      return;
    }
    if (ready > 0 && pollFds.readInt16LE(14) !== 0) read(wakeFd, wakeBuf, 8); // non-blocking: resets the wake-up
    if (ready === 0 || pollFds.readInt16LE(6) === 0) empties = 0;
  }
}
