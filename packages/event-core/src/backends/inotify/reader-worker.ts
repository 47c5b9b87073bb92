/**
 * The body of the reader thread (see reader-thread.ts). It runs in a worker_threads Worker from its own
 * source text, so it must stay self-contained: no imports, nothing from outside this function but
 * its arguments and the globals (Atomics, Buffer, performance).
 *
 * While it holds the fd (GO set by the main thread), it read()s the inotify fd into a shared byte ring for
 * as long as records come, then waits in poll() on [inotify fd, wake eventfd]; after `handBackMs` with
 * nothing, it clears GO (the main thread reads again) and waits for the next GO. Each read lands in contiguous space and holds whole records, so no record
 * straddles the end of the ring: when the space left at the end is too small for a read, the data ends
 * there (WRAP) and continues at 0; so it does when the ring is empty past its first 128 KiB, so that only a
 * backlog touches (and makes resident) more than that. One byte always stays free, so READ === WRITE means
 * empty. When the ring is full, reading stops and the kernel queue holds the rest, as it does when the
 * main thread is busy.
 */
import type { WorkerCalls } from '@inotifykit/sys';
import type { ReadTimeScanner } from './read-time-watches.js';

export interface ReaderShared {
  readonly koffiPath: string;
  readonly fd: number;
  readonly wakeFd: number;
  /** Control words, indexed by `at`. */
  readonly ctrl: Int32Array;
  readonly ring: SharedArrayBuffer;
  /** The smallest space worth a read() (it must hold the largest record), and the largest read. */
  readonly minRead: number;
  readonly maxRead: number;
  /** An empty ring restarts at 0 once the writer is this far in (at least minRead). */
  readonly restartAt: number;
  readonly at: ReaderControl;
  /** Nap thresholds, as the main-thread reader uses them (records in a pass; ms between passes). */
  readonly burstRecords: number;
  readonly trickleMs: number;
  /** Nothing for this long: the fd goes back to the main thread (Infinity: never). */
  readonly handBackMs: number;
}

/** Indices into `ctrl`. */
export interface ReaderControl {
  /** Who reads: 1, the reader (set by the main thread once it has stopped); 0, the main thread (cleared by the reader once it has). */
  readonly GO: number;
  /** Main → reader: stop. */
  readonly STOP: number;
  /** Ring offsets: where the reader writes next, and where the main thread reads next. */
  readonly WRITE: number;
  readonly READ: number;
  /** Where the data before the last wrap to 0 ends. */
  readonly WRAP: number;
  /** 1 while the reader found the queue empty and waits in poll(). */
  readonly IDLE: number;
  /** Main asks for a pass to the end of the queue (readNow); the reader says which request it finished. */
  readonly PASS_REQUESTED: number;
  readonly PASS_DONE: number;
  /** A read failed for good: its errno, or -1 for end of file. */
  readonly FAILED: number;
  /** Bumped (and notified) on every change above that the main thread waits for. */
  readonly SEQ: number;
  /** The directories the reader follows, as of its last empty queue (read-time-watches.ts). */
  readonly FOLLOWED: number;
}

/** `giveBack` posts the followed directories to the main thread (flat [wd, path, mask] triples) at a hand-back. */
export function readerMain(
  shared: ReaderShared,
  calls: WorkerCalls,
  readTime: ReadTimeScanner,
  ready: () => void,
  giveBack: (triples: (number | string)[]) => void,
): void {
  const { fd, wakeFd, ctrl, ring, minRead, maxRead, restartAt, at, burstRecords, trickleMs, handBackMs } = shared;
  // errno can read 0 after a failed read() in a worker (see WorkerCalls), so 0 counts as "queue empty".
  const { read, poll, errno } = calls;
  const EAGAIN = 11;
  const EINTR = 4;
  const POLLIN = 1;
  const POLL_FAILED = 0x8 | 0x20; // POLLERR | POLLNVAL
  const size = ring.byteLength;
  const bytes = Buffer.from(ring);
  const pollFds = Buffer.alloc(16);
  pollFds.writeInt32LE(fd, 0);
  pollFds.writeInt16LE(POLLIN, 4);
  pollFds.writeInt32LE(wakeFd, 8);
  pollFds.writeInt16LE(POLLIN, 12);
  const wakeBuf = Buffer.alloc(8);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const signal = (): void => {
    Atomics.add(ctrl, at.SEQ, 1);
    Atomics.notify(ctrl, at.SEQ);
  };
  const fail = (code: number): void => {
    Atomics.store(ctrl, at.FAILED, code);
    signal();
  };
  /** Records in [start, end): hop from header to header (the name length is at +12). */
  const countRecords = (start: number, end: number): number => {
    let count = 0;
    for (let off = start; off + 16 <= end; off += 16 + bytes.readUInt32LE(off + 12)) count++;
    return count;
  };

  ready();
  let write = 0;
  let passRecords = 0;
  let lastPassAt = 0;
  /** Since when nothing has come (the last pass that read something, or the GO). */
  let idleSince = 0;
  let sawRecords = false;
  while (Atomics.load(ctrl, at.STOP) === 0) {
    if (Atomics.load(ctrl, at.GO) === 0) {
      // Parked between bursts: the main thread reads. stop() sets GO too (to 2), so this cannot miss it.
      Atomics.wait(ctrl, at.GO, 0);
      idleSince = performance.now();
      continue;
    }
    const readAt = Atomics.load(ctrl, at.READ);
    if (readAt === write && write >= restartAt) {
      // Empty, and far enough in that what lies before is room for a read: start again at 0, so that
      // light traffic keeps using the same first pages of the ring.
      Atomics.store(ctrl, at.WRAP, write);
      write = 0;
      Atomics.store(ctrl, at.WRITE, 0);
    }
    const room = write >= readAt ? size - write - (readAt === 0 ? 1 : 0) : readAt - write - 1;
    if (room < minRead) {
      if (write >= readAt && readAt > 0) {
        // Too little left at the end: the data ends here and goes on at 0.
        Atomics.store(ctrl, at.WRAP, write);
        write = 0;
        Atomics.store(ctrl, at.WRITE, 0);
        continue;
      }
      Atomics.wait(ctrl, at.READ, readAt, 100); // full: the kernel queue holds the rest meanwhile
      continue;
    }
    const requested = Atomics.load(ctrl, at.PASS_REQUESTED);
    const n = Number(read(fd, bytes.subarray(write, write + Math.min(room, maxRead)), Math.min(room, maxRead)));
    if (n > 0) {
      // New directories are watched before the main thread can see the records that announce them.
      readTime.scan(bytes, write, write + n);
      const records = countRecords(write, write + n);
      passRecords += records;
      sawRecords = true;
      write += n;
      Atomics.store(ctrl, at.WRITE, write);
      Atomics.store(ctrl, at.IDLE, 0);
      signal();
      // In a burst, one read a millisecond: reading again at once would fetch the few records that came
      // during this read, and wake the main thread for them.
      if (records >= burstRecords && n < maxRead && Atomics.load(ctrl, at.PASS_REQUESTED) === requested) {
        passRecords = 0;
        lastPassAt = performance.now();
        Atomics.wait(nap, 0, 0, 1);
      }
      continue;
    }
    const error = n < 0 ? errno() : 0;
    if (n < 0 && error === EINTR) continue;
    if (n === 0) return fail(-1);
    if (error !== EAGAIN && error !== 0) return fail(error);
    // The queue is empty. The same naps as the main-thread reader: a burst, or records trickling in
    // fast, wait a millisecond so that the next read (and the main thread's wake-up) carries more.
    const now = performance.now();
    const napping = passRecords >= burstRecords || (passRecords > 1 && now - lastPassAt < trickleMs);
    if (sawRecords) idleSince = now;
    sawRecords = false;
    lastPassAt = now;
    passRecords = 0;
    readTime.idle();
    Atomics.store(ctrl, at.FOLLOWED, readTime.followed());
    Atomics.store(ctrl, at.PASS_DONE, requested);
    if (napping && Atomics.load(ctrl, at.PASS_REQUESTED) === requested) {
      signal();
      Atomics.wait(nap, 0, 0, 1);
      continue;
    }
    Atomics.store(ctrl, at.IDLE, 1);
    signal();
    const left = handBackMs - (now - idleSince);
    const woken = poll(pollFds, 2, left === Infinity ? -1 : left > 0 ? Math.ceil(left) : 0);
    if (pollFds.readInt16LE(6) & POLL_FAILED) return fail(9); // EBADF: the fd is gone or broken
    read(wakeFd, wakeBuf, 8); // non-blocking: resets a wake-up, if that is what ended the poll
    if (woken === 0 && Atomics.load(ctrl, at.PASS_REQUESTED) === requested) {
      // Nothing for handBackMs: the burst is over. The main thread reads from here on (it is woken, and
      // takes what is left in the ring first), with the followed directories, posted before GO is cleared.
      giveBack(readTime.handBack());
      Atomics.store(ctrl, at.FOLLOWED, 0);
      Atomics.store(ctrl, at.GO, 0);
      signal();
    }
  }
}
