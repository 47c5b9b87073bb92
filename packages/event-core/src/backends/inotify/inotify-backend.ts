/**
 * The Linux backend: raw inotify through libc.
 *
 * Reading, while events are sporadic: the main thread's own event loop waits on the inotify fd
 * (loop-readable.ts), and each wake-up reads the non-blocking fd until EAGAIN, decoding each read in place.
 * One wake-up per event, as inotifywait has. Where the runtime cannot do that, an async poll() on
 * [inotify fd, eventfd] runs on a helper thread instead (a second wake-up per event). No thread ever
 * blocks in read() (Node could then not exit), and close() wakes a poll through the eventfd. FIONREAD is
 * never used: the kernel walks the whole queue to answer it.
 *
 * In a burst, a reader thread (reader-thread.ts) takes the reading over, so that the kernel queue is
 * drained even while the main thread is busy; the main thread then consumes its ring. When the burst is
 * over (nothing for HAND_BACK_MS), the reader hands the fd back and waits, parked, for the next burst.
 * INOTIFYKIT_READER_THREAD=always|never overrides when it starts (for tests and measurements).
 */
import { readFileSync } from 'node:fs';
import type { Backend, BackendSink } from '../backend.js';
import type { ByteString } from '../../model/bytes.js';
import { toCString } from '../../model/bytes.js';
import { InitError, InstanceLimitError, SystemError, WatchError, WatchLimitError } from '../../model/errors.js';
import type { EventMask } from '../../model/mask.js';
import { IN_IGNORED, IN_ISDIR, IN_Q_OVERFLOW, IN_UNMOUNT } from '../../model/mask.js';
import type { RawEvent } from '../../model/event.js';
import { monotonicMs } from '../../engine/clock.js';
import { EventBuffer, PlainRecords } from './decode.js';
import { ReaderThread } from './reader-thread.js';
import type { ReadTimeState } from './read-time-watches.js';
import { settleMovesAtIdle, watchNewDirsAtRead } from './read-time-watches.js';
import { COUNTING_NAP_MS, countingNapMs } from '../counting-nap.js';
import { LoopReadable } from '../loop-readable.js';
import { wakePair } from '../wake-pair.js';
import {
  EAGAIN, EINTR, EMFILE, ENOSPC, IN_CLOEXEC, IN_NONBLOCK, type Wake, close, errno as lastErrno, inotifyAddWatch,
  inotifyInit1, inotifyRmWatch, pollAsync, read, strerror,
} from '@inotifykit/sys';

/** Room for a few thousand records per read: a burst drains in few syscalls. */
const READ_BUFFER_SIZE = 256 * 1024;
/**
 * A drain that read at least this many records means a burst is under way: the reader thread takes over
 * (or, until it is there, a millisecond's nap before the next read, so that the next read finds a large
 * batch: fewer wake-ups and writes per event). A lone event is read at once, keeping latency at its floor.
 */
const BURST_RECORDS = 256;
/**
 * Records trickling in fast (a drain of several records less than this long after the previous one) get
 * the same nap: each wake-up costs tens of µs, so waking per handful of events spends more on waking
 * than on the events. A single event never waits.
 */
const TRICKLE_MS = 1;
const BURST_NAP_MS = 1;
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

function readQueueLimit(): number | undefined {
  try {
    const n = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'latin1').trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function policyFromEnv(): ReaderPolicy | undefined {
  const value = process.env.INOTIFYKIT_READER_THREAD;
  return value === 'always' || value === 'never' || value === 'auto' ? value : undefined;
}

/**
 * The main thread waits in its own event loop (loop-readable.ts) unless $INOTIFYKIT_MAIN_WAIT=poll asks
 * for the helper thread's poll() (the A/B switch of the latency bench; also a way out should a Node
 * release break the binding in a way open() cannot see).
 */
function loopWaitAllowed(): boolean {
  return process.env.INOTIFYKIT_MAIN_WAIT !== 'poll';
}

/**
 * Records after which the queue must be read to its end before idle(): a new directory's rescan queues
 * events of its own, directory moves pair by cookie at idle, and an overflow is recovered from at idle.
 */
const READ_TO_END = IN_ISDIR | IN_Q_OVERFLOW;
/** Records a counting sink cannot take as counts: the engine must see them (BackendSink.counts). */
const NOT_PLAIN = IN_ISDIR | IN_IGNORED | IN_Q_OVERFLOW | IN_UNMOUNT;
/** A read shorter than this emptied the kernel queue (at the time of the read). */
const SHORT_READ = READ_BUFFER_SIZE / 2;

export class InotifyBackend implements Backend {
  readonly name = 'inotify' as const;
  readonly nativeRecursion = false;
  readonly queueLimit: number | undefined;
  readonly #fd: number;
  readonly #wake: Wake;
  readonly #readBuf = new EventBuffer(READ_BUFFER_SIZE);
  /** [inotify fd, wake eventfd], both POLLIN. */
  readonly #pollFds: Buffer;
  #sink: BackendSink | undefined;
  /** The main thread's event loop waits on the fd (undefined: a helper thread's poll() does). */
  #loop: LoopReadable | undefined;
  #polling = false;
  #nap: NodeJS.Timeout | undefined;
  #lastDrainAt = 0;
  #closed = false;
  #released = false;
  #closeDone: (() => void) | undefined;
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
  readonly #readTime: ReadTimeState = { dirs: new Map(), moves: new Map() };
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
  readonly #onExit = (): void => {
    if (!this.#reader) return this.#wake.signal();
    this.#reader.settleForExit();
    void this.#reader.stop();
  };

  constructor(options: InotifyBackendOptions = {}) {
    this.#readerPolicy = policyFromEnv() ?? options.readerThread ?? 'auto';
    this.#handBackMs = options.handBackMs ?? HAND_BACK_MS;
    const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      const errno = lastErrno();
      const reason = strerror(errno);
      throw errno === EMFILE ? new InstanceLimitError(errno, reason) : new InitError(errno, reason);
    }
    const { wake, pollFds } = wakePair(fd, (errno, reason) => new InitError(errno, reason));
    this.#fd = fd;
    this.#wake = wake;
    // Read now: the kernel fixed this instance's limit at inotify_init1.
    this.queueLimit = readQueueLimit();
    this.#pollFds = pollFds;
    // process.exit() waits for the worker threads; a poll still blocked there would hang it.
    process.on('exit', this.#onExit);
  }

  addWatch(path: ByteString, mask: EventMask): number {
    const wd = inotifyAddWatch(this.#fd, toCString(path), mask >>> 0);
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
      this.#readTime.dirs.set(wd, { path, mask });
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
      return void this.#readTime.dirs.delete(wd);
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
    if (loopWaitAllowed()) this.#loop = LoopReadable.open(this.#fd, this.#readBuf.bytes, (n) => this.#onLoopRead(n));
    // After the caller's own start-up work (it prints "Watches established." next): the worker's set-up
    // then runs beside the first reads instead of before them.
    if (this.#readerPolicy === 'always') setImmediate(() => this.#reader || this.#closed || this.#startReader());
    void this.#drain();
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
    return this.#loop ? 'loop' : 'poll';
  }

  readNow(): void {
    const sink = this.#sink;
    if (this.#closed || !sink) return;
    if (this.#ringMode && this.#reader!.drainNow((records) => void sink.records(records))) {
      sink.idle();
      return;
    }
    this.#reclaim();
    let n: number;
    while ((n = read(this.#fd, this.#readBuf.bytes, READ_BUFFER_SIZE)) > 0) {
      watchNewDirsAtRead(this.#readBuf.bytes, 0, n, this.#readTime, this.#addRawWatch);
      void sink.records(this.#readBuf.decode(n));
    }
    settleMovesAtIdle(this.#readTime, this.#removeRawWatch);
    sink.idle();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    process.off('exit', this.#onExit);
    clearTimeout(this.#nap);
    this.#loop?.stop();
    // The fds are closed only once nothing can be reading them: the poll has returned, the reader exited.
    const waits: Promise<void>[] = [];
    if (this.#reader) waits.push(this.#reader.stop());
    if (this.#polling) {
      waits.push(new Promise((resolve) => (this.#closeDone = resolve)));
      this.#wake.signal();
    }
    return Promise.all(waits).then(() => this.#release());
  }

  /** Closes the fds exactly once: a second close() could hit a number already reused by a new instance. */
  #release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#loop) this.#loop.close(); // the handle owns the fd
    else close(this.#fd);
    this.#wake.close();
  }

  #startReader(): void {
    this.#reader = new ReaderThread({
      fd: this.#fd,
      wakeFd: this.#wake.fd,
      burstRecords: BURST_RECORDS,
      trickleMs: TRICKLE_MS,
      handBackMs: this.#handBackMs,
      wake: () => this.#wake.signal(),
    });
  }

  /** Called between two reads of the main thread, in a burst: from here on only the reader thread reads. */
  #handOver(): void {
    this.#loop?.stop();
    this.#ringMode = true;
    const triples: (number | string)[] = [];
    for (const [wd, dir] of this.#readTime.dirs) triples.push(wd, dir.path, dir.mask);
    this.#reader!.follow(triples);
    this.#readTime.dirs.clear();
    this.#reader!.go();
    void this.#consumeRing();
  }

  /**
   * The reader has handed the fd back (the burst is over): the main thread reads again, with the followed
   * directories the reader gave back.
   */
  #reclaim(): void {
    if (!this.#ringMode) return;
    this.#ringMode = false;
    this.#reader!.takeFollowed((wd, path, mask) => this.#readTime.dirs.set(wd, { path, mask }));
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
        return void this.#drain();
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
        await new Promise((resolve) => (this.#nap = setTimeout(resolve, nap)));
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

  /** The event loop read `n` bytes into #readBuf (0: end of file; below 0: -errno). */
  #onLoopRead(n: number): void {
    if (this.#closed) return;
    if (n > 0) return void this.#drain(n);
    this.#loop!.stop();
    this.#sink!.error(this.#readError(n, -n));
  }

  /**
   * Reads until EAGAIN, handing each read to the sink (and waiting when it asks to), then waits for the
   * fd. `first`: bytes the event loop has already read into #readBuf.
   */
  async #drain(first = 0): Promise<void> {
    const sink = this.#sink!;
    const startedAt = monotonicMs();
    const sincePrevious = startedAt - this.#lastDrainAt;
    this.#lastDrainAt = startedAt;
    let count = 0;
    /** Records of this drain the sink could not take as counts. */
    let decoded = 0;
    let n = first;
    let loopRead = first > 0;
    for (;;) {
      if (this.#closed) return;
      if (count >= BURST_RECORDS && this.#reader?.ready) return this.#handOver();
      if (n === 0) n = read(this.#fd, this.#readBuf.bytes, READ_BUFFER_SIZE);
      if (n > 0) {
        watchNewDirsAtRead(this.#readBuf.bytes, 0, n, this.#readTime, this.#addRawWatch);
        const counted = this.#offerCounts(this.#readBuf, n);
        if (counted >= 0) {
          count += counted;
          loopRead = false;
          n = 0;
          continue;
        }
        // Names are copied out as byte strings, so the buffer can be reused at once.
        const records = this.#readBuf.decode(n);
        // The event loop's short read of a few records emptied the queue; unless they can make more or
        // must be paired at idle, the next event wakes the loop again, without a read() that finds nothing.
        const done = loopRead && n < SHORT_READ && records.length < BURST_RECORDS && !records.some((r) => (r.mask & READ_TO_END) !== 0);
        loopRead = false;
        n = 0;
        count += records.length;
        decoded += records.length;
        const pending = sink.records(records);
        // Otherwise read again even after a short read: handling these records may itself have queued
        // more (reading a new directory does), and idle() must mean the queue is empty.
        if (pending) {
          this.#loop?.stop(); // the kernel queue holds the rest until the sink is ready
          await pending;
        }
        if (done) break;
        continue;
      }
      const errno = n < 0 ? lastErrno() : 0;
      if (n < 0 && errno === EINTR) {
        n = 0;
        continue;
      }
      if (n < 0 && errno === EAGAIN) break;
      this.#loop?.stop();
      sink.error(this.#readError(n, errno));
      return;
    }
    settleMovesAtIdle(this.#readTime, this.#removeRawWatch);
    sink.idle();
    if (decoded >= BURST_RECORDS && !this.#reader && this.#readerPolicy === 'auto') this.#startReader();
    if (count >= BURST_RECORDS || (count > 1 && sincePrevious < TRICKLE_MS)) {
      this.#loop?.stop();
      const nap = decoded === 0 ? countingNapMs(count, sincePrevious, this.queueLimit) : BURST_NAP_MS;
      this.#nap = setTimeout(() => {
        this.#nap = undefined;
        void this.#drain();
      }, nap);
    } else {
      this.#wait();
    }
  }

  /** Waits until the fd is readable: in the event loop, or through a poll() on a helper thread. */
  #wait(): void {
    if (this.#closed) return;
    if (this.#loop) return this.#loop.start();
    this.#polling = true;
    pollAsync(this.#pollFds, 2, -1, () => {
      this.#polling = false;
      if (this.#closed) return this.#closeDone?.();
      // A wake-up meant for the reader thread (which may have handed back before seeing it) is reset.
      this.#wake.drain();
      void this.#drain();
    });
  }
}
