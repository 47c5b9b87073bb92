/**
 * The Linux backend: raw inotify through libc.
 *
 * Reading, while events are sporadic: the main thread's loop (drain-loop.ts, the fanotify backend's too)
 * waits on the inotify fd in its own event loop and reads it until EAGAIN, decoding each read in place:
 * one wake-up per event, as inotifywait has. New directories are watched as their records are read
 * (read-time-watches.ts), and a counting sink takes plain records as counts. FIONREAD is never used: the
 * kernel walks the whole queue to answer it.
 *
 * In a burst, a reader thread (reader-thread.ts) takes the reading over, so that the kernel queue is
 * drained even while the main thread is busy; the main thread then consumes its ring. When the burst is
 * over (nothing for HAND_BACK_MS), the reader hands the fd back and waits, parked, for the next burst.
 * INOTIFYKIT_READER_THREAD=always|never overrides when it starts (for tests and measurements).
 */
import type { Backend, BackendSink } from '../backend.js';
import type { ByteString } from '../../model/bytes.js';
import { scratchCString } from './dirents.js';
import { InitError, InstanceLimitError, SystemError, WatchError, WatchLimitError } from '../../model/errors.js';
import type { EventMask } from '../../model/mask.js';
import { IN_IGNORED, IN_ISDIR, IN_Q_OVERFLOW, IN_UNMOUNT } from '../../model/mask.js';
import type { RawEvent } from '../../model/event.js';
import { EventBuffer, PlainRecords } from './decode.js';
import { ReaderThread } from './reader-thread.js';
import type { ReadTimeState } from './read-time-watches.js';
import { followDir, newReadTimeState, settleMovesAtIdle, takeFollowedTriples, unfollowDir, watchNewDirsAtRead } from './read-time-watches.js';
import { BURST_NAP_MS, BURST_RECORDS, DrainLoop, TRICKLE_MS } from '../drain-loop.js';
import { queueLimit } from '../queue-limit.js';
import { COUNTING_NAP_MS, countingNapMs } from '../counting-nap.js';
import {
  EMFILE, ENOSPC, IN_CLOEXEC, IN_NONBLOCK, errno as lastErrno, inotifyAddWatch, inotifyInit1, inotifyRmWatch, read,
  strerror,
} from '@inotifykit/sys';

/** Room for a few thousand records per read: a burst drains in few syscalls. */
const READ_BUFFER_SIZE = 256 * 1024;
/** The reader thread hands the fd back to the main thread after this long without a record. */
const HAND_BACK_MS = 250;

/**
 * When the reader thread is started: right after start() (always: for long runs, so it is loaded before
 * the first burst; it starts off the start-up path), at the first burst (auto), or never. Either way it
 * reads only during bursts. In `auto`, a burst the sink took as counts does not start it: a main thread
 * that only counts reads as fast as the thread would, and the thread's start (a second V8 isolate and
 * koffi, ~60 ms of CPU) would cost more than the burst's counting.
 */
export type ReaderPolicy = 'auto' | 'always' | 'never';

export interface InotifyBackendOptions {
  /** Default 'auto'; $INOTIFYKIT_READER_THREAD, when set, wins (tests and measurements). */
  readonly readerThread?: ReaderPolicy;
  /** After how long without a record the reader thread hands reading back (default 250 ms; Infinity: never). */
  readonly handBackMs?: number;
}

function policyFromEnv(): ReaderPolicy | undefined {
  const value = process.env.INOTIFYKIT_READER_THREAD;
  return value === 'always' || value === 'never' || value === 'auto' ? value : undefined;
}

/** Records a counting sink cannot take as counts: the engine must see them (BackendSink.counts). */
const NOT_PLAIN = IN_ISDIR | IN_IGNORED | IN_Q_OVERFLOW | IN_UNMOUNT;

export class InotifyBackend implements Backend {
  readonly name = 'inotify' as const;
  readonly nativeRecursion = false;
  readonly recordsAreEvents = true; // EventBuffer.decodeRange's records
  readonly queueLimit: number | undefined;
  readonly #fd: number;
  readonly #readBuf = new EventBuffer(READ_BUFFER_SIZE);
  /** The main thread's reading, whenever the reader thread does not read. */
  readonly #loop: DrainLoop;
  #sink: BackendSink | undefined;
  /** The main thread's nap between ring batches. */
  #ringNap: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #readerPolicy: ReaderPolicy;
  readonly #handBackMs: number;
  /** Loaded at start() or at the first burst; it reads the fd only while #ringMode is set. */
  #reader: ReaderThread | undefined;
  #ringMode = false;
  /**
   * Followed directories, for watching new ones as they are read. One copy, kept by the thread that reads
   * (only it sees the IGNOREDs that free the entries): a hand-over gives it to the reader thread, which
   * gives its own back when it hands the fd back.
   */
  readonly #readTime: ReadTimeState = newReadTimeState();
  /** forget()s for the reader thread, as [wd, null, 0] triples, sent together. */
  readonly #forgotten: (number | null)[] = [];
  readonly #addRawWatch = (path: Buffer, mask: number): number => inotifyAddWatch(this.#fd, path, mask >>> 0);
  readonly #removeRawWatch = (wd: number): void => void inotifyRmWatch(this.#fd, wd);
  /** The headers of a batch offered to a counting sink (made on first use). */
  #plain: PlainRecords | undefined;
  readonly #offerCounts = (buf: EventBuffer, end: number): number => {
    const counts = this.#sink!.counts;
    if (!counts) return -1;
    // One 16-byte header at least per record: room for a whole read or ring batch.
    const plain = (this.#plain ??= new PlainRecords(Math.ceil(buf.bytes.length / 16)));
    const n = buf.plainHeaders(0, end, NOT_PLAIN, plain);
    return n >= 0 && counts(plain.wds, plain.masks, n) ? n : -1;
  };
  /** The buffer readAhead() reads into (the drain's may still be in use). */
  #aheadBuf: EventBuffer | undefined;

  constructor(options: InotifyBackendOptions = {}) {
    this.#readerPolicy = policyFromEnv() ?? options.readerThread ?? 'auto';
    this.#handBackMs = options.handBackMs ?? HAND_BACK_MS;
    const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      const errno = lastErrno();
      const reason = strerror(errno);
      throw errno === EMFILE ? new InstanceLimitError(errno, reason) : new InitError(errno, reason);
    }
    this.#loop = new DrainLoop(fd, this.#readBuf.bytes, (errno, reason) => new InitError(errno, reason), {
      decode: (n) => this.#decode(n),
      readError: (n, errno) => this.#readError(n, errno),
      handOver: (records) => this.#handOver(records),
      beforeIdle: () => settleMovesAtIdle(this.#readTime, this.#removeRawWatch),
      afterIdle: (records, decoded) => {
        if (decoded >= BURST_RECORDS && !this.#reader && this.#readerPolicy === 'auto') this.#startReader();
      },
      // Between counted reads the main thread may nap longer than a millisecond: nothing waits for output.
      burstNapMs: (records, decoded, sinceLastMs) => (decoded === 0 ? countingNapMs(records, sinceLastMs, this.queueLimit) : BURST_NAP_MS),
      // process.exit() waits for the worker threads: the reader's must not be inside koffi's load.
      atExit: () => {
        this.#reader?.settleForExit();
        void this.#reader?.stop();
      },
    });
    this.#fd = fd;
    // Read now: the kernel fixed this instance's limit at inotify_init1.
    this.queueLimit = queueLimit('inotify');
  }

  addWatch(path: ByteString, mask: EventMask): number {
    const wd = inotifyAddWatch(this.#fd, scratchCString(path), mask >>> 0);
    if (wd < 0) {
      const errno = lastErrno();
      const reason = strerror(errno);
      throw errno === ENOSPC ? new WatchLimitError(path, errno, reason) : new WatchError(path, errno, reason);
    }
    return wd;
  }

  follow(wd: number, path: ByteString, mask: EventMask): void {
    // One copy, kept by the thread that reads (only it sees the IGNOREDs that free the entries); the
    // hand-over gives the reader thread the main thread's, the hand-back returns it.
    if (this.#ringMode && !this.#reader!.handedBack) this.#reader!.follow([wd, path, mask]);
    else {
      this.#reclaim();
      followDir(this.#readTime, wd, path, mask);
    }
  }

  /**
   * The reading thread drops a directory when it reads its IGNORED, but the engine's follow() of it can
   * reach the reader thread after that (a directory removed as it was watched): the engine's word, sent
   * once per turn of the event loop, is the last.
   */
  forget(wd: number): void {
    if (!this.#ringMode || this.#reader!.handedBack) {
      this.#reclaim();
      return void unfollowDir(this.#readTime, wd);
    }
    if (this.#forgotten.length === 0) queueMicrotask(() => this.#reader?.follow(this.#forgotten.splice(0)));
    this.#forgotten.push(wd, null, 0);
  }

  /**
   * Everything queued in the kernel right now, read synchronously (new directories watched as read), for
   * the engine to handle after the records it has: what came before a new directory's listing ended.
   */
  readAhead(): RawEvent[] {
    const ahead: RawEvent[] = [];
    if (this.#closed || !this.#sink) return ahead;
    if (this.#ringMode && this.#reader!.drainNow((records) => this.#takeAhead(records, ahead))) return ahead;
    this.#reclaim(); // the reader had handed the fd back: the rest is read here
    const buf = (this.#aheadBuf ??= new EventBuffer(READ_BUFFER_SIZE));
    let n: number;
    while ((n = read(this.#fd, buf.bytes, READ_BUFFER_SIZE)) > 0) {
      watchNewDirsAtRead(buf.bytes, 0, n, this.#readTime, this.#addRawWatch);
      buf.decodeRange(0, n, ahead);
    }
    return ahead;
  }

  removeWatch(wd: number): void {
    // EINVAL means the kernel already dropped it (deleted, unmounted); the IGNORED record is on its way.
    inotifyRmWatch(this.#fd, wd);
  }

  start(sink: BackendSink): void {
    this.#sink = sink;
    // After the caller's own start-up work (it prints "Watches established." next): the worker's set-up
    // then runs beside the first reads instead of before them.
    if (this.#readerPolicy === 'always') setImmediate(() => this.#reader || this.#closed || this.#startReader());
    this.#loop.start(sink);
  }

  /**
   * How many directories are followed (their new subdirectories watched as they are read), in both
   * threads' tables (the reader thread's as of its last empty queue). For tests: it must come back down
   * when directories go.
   */
  get followedDirs(): number {
    if (this.#ringMode && this.#reader!.handedBack) this.#reclaim(); // its set is on the way back
    return (this.#ringMode ? this.#reader!.followed : 0) + this.#readTime.dirs.size;
  }

  /** Which thread reads the inotify fd now. */
  get readingThread(): 'main' | 'reader' {
    return this.#ringMode ? 'reader' : 'main';
  }

  /** How the main thread waits for the fd: in its own event loop, or through a helper thread's poll(). */
  get mainWait(): 'loop' | 'poll' {
    return this.#loop.mainWait;
  }

  readNow(): void {
    const sink = this.#sink;
    if (this.#closed || !sink) return;
    if (this.#ringMode && this.#reader!.drainNow((records) => void sink.records(records))) {
      sink.idle();
      return;
    }
    this.#reclaim();
    this.#loop.readNow();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    clearTimeout(this.#ringNap);
    // The fds are closed only once nothing can be reading them: the poll has returned, the reader exited.
    const waits = [this.#loop.stop()];
    if (this.#reader) waits.push(this.#reader.stop());
    return Promise.all(waits).then(() => this.#loop.release());
  }

  #startReader(): void {
    const wake = this.#loop.wake;
    this.#reader = new ReaderThread({
      fd: this.#fd,
      wakeFd: wake.fd,
      burstRecords: BURST_RECORDS,
      trickleMs: TRICKLE_MS,
      handBackMs: this.#handBackMs,
      wake: () => wake.signal(),
    });
  }

  /** One read of the main thread's: new directories watched, then its records, or how many were counted. */
  #decode(n: number): RawEvent[] | number {
    watchNewDirsAtRead(this.#readBuf.bytes, 0, n, this.#readTime, this.#addRawWatch);
    const counted = this.#offerCounts(this.#readBuf, n);
    // Names are copied out as byte strings, so the buffer can be reused at once.
    return counted >= 0 ? counted : this.#readBuf.decode(n);
  }

  /**
   * Asked between two reads of the main thread: in a burst (`records` read so far) and with the reader
   * thread loaded, only the reader thread reads from here on.
   */
  #handOver(records: number): boolean {
    if (records < BURST_RECORDS || !this.#reader?.ready) return false;
    this.#ringMode = true;
    this.#reader.follow(takeFollowedTriples(this.#readTime));
    this.#reader.go();
    void this.#consumeRing();
    return true;
  }

  /**
   * The reader has handed the fd back (the burst is over): the main thread reads again, with the followed
   * directories the reader gave back.
   */
  #reclaim(): void {
    if (!this.#ringMode) return;
    this.#ringMode = false;
    this.#reader!.takeFollowed((wd, path, mask) => followDir(this.#readTime, wd, path, mask));
  }

  #takeAhead(records: RawEvent[], ahead: RawEvent[]): void {
    for (const record of records) ahead.push(record);
  }

  /** The main thread's side in ring mode: deliver each read in order, idle() when all is read. */
  async #consumeRing(): Promise<void> {
    const reader = this.#reader!;
    const sink = this.#sink!;
    let saidIdle = false;
    let count = 0;
    /** Every batch since the last nap was counted, none decoded. */
    let countedOnly = true;
    for (;;) {
      if (this.#closed) return;
      const seq = reader.seq;
      const records = reader.next(this.#offerCounts);
      if (typeof records === 'number') {
        saidIdle = false;
        count += records;
        continue;
      }
      if (records) {
        saidIdle = false;
        countedOnly = false;
        count += records.length;
        const pending = sink.records(records);
        if (pending) await pending;
        continue;
      }
      const failure = reader.readFailure;
      if (failure !== 0) return sink.error(this.#readError(failure < 0 ? 0 : -1, failure));
      if (reader.failure) return sink.error(new SystemError(`inotify reader thread: ${reader.failure.message}`, 0, 'reader thread'));
      if (reader.handedBack) {
        this.#reclaim();
        return this.#loop.resume();
      }
      if (reader.idle && !saidIdle) {
        saidIdle = true;
        sink.idle();
      }
      if (count >= BURST_RECORDS) {
        // As in main-thread reading: during a burst, a millisecond's nap makes the next batch larger.
        const nap = countedOnly ? COUNTING_NAP_MS : BURST_NAP_MS;
        count = 0;
        countedOnly = true;
        await new Promise((resolve) => (this.#ringNap = setTimeout(resolve, nap)));
        continue;
      }
      count = 0;
      countedOnly = true;
      await reader.changed(seq);
    }
  }

  /** read() returned `n` (0: end of file; below 0: `errno`). */
  #readError(n: number, errno: number): SystemError {
    return n === 0
      ? new SystemError('Inotify reported end-of-file.  Possibly too many events occurred at once.', 0, 'EOF')
      : new SystemError(strerror(errno), errno, strerror(errno));
  }
}
