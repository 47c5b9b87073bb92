/**
 * The Linux backend: raw inotify through libc.
 *
 * Reading: an async poll() on [inotify fd, eventfd] runs on a worker thread; when it returns, the main
 * thread read()s the non-blocking inotify fd until EAGAIN, decoding each read in place. No thread ever
 * blocks in read() (Node could then not exit), and close() wakes the poll through the eventfd. FIONREAD is
 * never used: the kernel walks the whole queue to answer it.
 *
 * At the first burst, a reader thread (reader-thread.ts) is started and takes the reading over, so that
 * the kernel queue is drained even while the main thread is busy; the main thread then consumes its ring.
 * INOTIFYKIT_READER_THREAD=always|never overrides when (for tests and measurements).
 */
import { readFileSync } from 'node:fs';
import type { Backend, BackendSink } from '../backend.js';
import type { ByteString } from '../../model/bytes.js';
import { toCString } from '../../model/bytes.js';
import { InitError, InstanceLimitError, SystemError, WatchError, WatchLimitError } from '../../model/errors.js';
import type { EventMask } from '../../model/mask.js';
import type { RawEvent } from '../../model/event.js';
import { monotonicMs } from '../../engine/clock.js';
import { EventBuffer } from './decode.js';
import { ReaderThread } from './reader-thread.js';
import type { ReadTimeState } from './read-time-watches.js';
import { settleMovesAtIdle, watchNewDirsAtRead } from './read-time-watches.js';
import { wakePair } from '../wake-pair.js';
import {
  EAGAIN, EINTR, EMFILE, ENOSPC, IN_CLOEXEC, IN_NONBLOCK, type Wake, close, errno as lastErrno, inotifyAddWatch,
  inotifyInit1, inotifyRmWatch, pollAsync, read, strerror,
} from '@inotifykit/sys';

/** Room for a few thousand records per read: a burst drains in few syscalls. */
const READ_BUFFER_SIZE = 256 * 1024;
/**
 * A drain that read at least this many records means a burst is under way: nap a millisecond before the
 * next read instead of polling at once, so the next read finds a large batch (fewer wake-ups and writes
 * per event). A lone event still goes straight back to poll(), keeping latency at its floor.
 */
const BURST_RECORDS = 256;
/**
 * Records trickling in fast (a drain of several records less than this long after the previous one) get
 * the same nap: each wake-up costs tens of µs (poll thread, hand-off to the main thread), so waking per
 * handful of events spends more on waking than on the events. A single event never waits.
 */
const TRICKLE_MS = 1;
const BURST_NAP_MS = 1;

/**
 * When the reader thread is started: right after start() (always: for long runs, so it is there before
 * the first burst; it starts off the start-up path), at the first burst (auto), or never.
 */
export type ReaderPolicy = 'auto' | 'always' | 'never';

export interface InotifyBackendOptions {
  /** Default 'auto'; $INOTIFYKIT_READER_THREAD, when set, wins (tests and measurements). */
  readonly readerThread?: ReaderPolicy;
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
  #polling = false;
  #nap: NodeJS.Timeout | undefined;
  #lastDrainAt = 0;
  #closed = false;
  #released = false;
  #closeDone: (() => void) | undefined;
  readonly #readerPolicy: ReaderPolicy;
  /** Started at the first burst; it reads the fd once #ringMode is set (the main thread no longer does). */
  #reader: ReaderThread | undefined;
  #ringMode = false;
  /** Followed directories, for watching new ones as they are read (the reader thread keeps its own copy). */
  readonly #readTime: ReadTimeState = { dirs: new Map(), moves: new Map() };
  /** forget()s for the reader thread, as [wd, null, 0] triples, sent together. */
  readonly #forgotten: (number | null)[] = [];
  readonly #addRawWatch = (path: Buffer, mask: number): number => inotifyAddWatch(this.#fd, path, mask >>> 0);
  readonly #removeRawWatch = (wd: number): void => void inotifyRmWatch(this.#fd, wd);
  /** The buffer readAhead() reads into (the drain's may still be in use). */
  #aheadBuf: EventBuffer | undefined;
  readonly #onExit = (): void => {
    if (!this.#reader) return this.#wake.signal();
    this.#reader.settleForExit();
    void this.#reader.stop();
  };

  constructor(options: InotifyBackendOptions = {}) {
    this.#readerPolicy = policyFromEnv() ?? options.readerThread ?? 'auto';
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
    // hand-over gives the reader thread the main thread's.
    if (this.#ringMode) this.#reader!.follow([wd, path, mask]);
    else this.#readTime.dirs.set(wd, { path, mask });
  }

  /**
   * The reading thread drops a directory when it reads its IGNORED, but the engine's follow() of it can
   * reach the reader thread after that (a directory removed as it was watched): the engine's word, sent
   * once per turn of the event loop, is the last.
   */
  forget(wd: number): void {
    if (!this.#ringMode) return void this.#readTime.dirs.delete(wd);
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
    if (this.#ringMode) {
      this.#reader!.drainNow((records) => {
        for (const record of records) ahead.push(record);
      });
      return ahead;
    }
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
    void this.#drain();
  }

  /**
   * How many directories are followed (their new subdirectories watched as they are read), in both
   * threads' tables (the reader thread's as of its last empty queue). For tests: it must come back down
   * when directories go.
   */
  get followedDirs(): number {
    return (this.#ringMode ? this.#reader!.followed : 0) + this.#readTime.dirs.size;
  }

  /** Which thread reads the inotify fd now. */
  get readingThread(): 'main' | 'reader' {
    return this.#ringMode ? 'reader' : 'main';
  }

  readNow(): void {
    const sink = this.#sink;
    if (this.#closed || !sink) return;
    if (this.#ringMode) {
      this.#reader!.drainNow((records) => void sink.records(records));
      sink.idle();
      return;
    }
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
    close(this.#fd);
    this.#wake.close();
  }

  #startReader(): void {
    this.#reader = new ReaderThread({
      fd: this.#fd,
      wakeFd: this.#wake.fd,
      burstRecords: BURST_RECORDS,
      trickleMs: TRICKLE_MS,
      wake: () => this.#wake.signal(),
    });
  }

  /** Called between two reads of the main thread: from here on only the reader thread reads. */
  #handOver(): void {
    this.#ringMode = true;
    const triples: (number | string)[] = [];
    for (const [wd, dir] of this.#readTime.dirs) triples.push(wd, dir.path, dir.mask);
    this.#reader!.follow(triples);
    this.#readTime.dirs.clear();
    this.#reader!.go();
    void this.#consumeRing();
  }

  /** The main thread's side in ring mode: deliver each read in order, idle() when all is read. */
  async #consumeRing(): Promise<void> {
    const reader = this.#reader!;
    const sink = this.#sink!;
    let saidIdle = false;
    let count = 0;
    for (;;) {
      if (this.#closed) return;
      const seq = reader.seq;
      const records = reader.next();
      if (records) {
        saidIdle = false;
        count += records.length;
        const pending = sink.records(records);
        if (pending) await pending;
        continue;
      }
      const failure = reader.readFailure;
      if (failure !== 0) return sink.error(this.#readError(failure < 0 ? 0 : -1, failure));
      if (reader.failure) return sink.error(new SystemError(`inotify reader thread: ${reader.failure.message}`, 0, 'reader thread'));
      if (reader.idle && !saidIdle) {
        saidIdle = true;
        sink.idle();
      }
      if (count >= BURST_RECORDS) {
        // As in main-thread reading: during a burst, a millisecond's nap makes the next batch larger.
        count = 0;
        await new Promise((resolve) => (this.#nap = setTimeout(resolve, BURST_NAP_MS)));
        continue;
      }
      count = 0;
      await reader.changed(seq);
    }
  }

  /** read() returned `n` (0: end of file; below 0: `errno`). */
  #readError(n: number, errno: number): SystemError {
    return n === 0
      ? new SystemError('Inotify reported end-of-file.  Possibly too many events occurred at once.', 0, 'EOF')
      : new SystemError(strerror(errno), errno, strerror(errno));
  }

  /** Reads until EAGAIN, handing each read to the sink (and waiting when it asks to), then polls. */
  async #drain(): Promise<void> {
    const sink = this.#sink!;
    const startedAt = monotonicMs();
    const sincePrevious = startedAt - this.#lastDrainAt;
    this.#lastDrainAt = startedAt;
    let count = 0;
    for (;;) {
      if (this.#closed) return;
      if (this.#reader?.ready) return this.#handOver();
      const n = read(this.#fd, this.#readBuf.bytes, READ_BUFFER_SIZE);
      if (n > 0) {
        watchNewDirsAtRead(this.#readBuf.bytes, 0, n, this.#readTime, this.#addRawWatch);
        // Names are copied out as byte strings, so the buffer can be reused at once.
        const records = this.#readBuf.decode(n);
        count += records.length;
        const pending = sink.records(records);
        // Read again even after a short read: handling these records may itself have queued more
        // (reading a new directory does), and idle() must mean the queue is empty.
        if (pending) await pending;
        continue;
      }
      const errno = n < 0 ? lastErrno() : 0;
      if (n < 0 && errno === EINTR) continue;
      if (n < 0 && errno === EAGAIN) break;
      sink.error(this.#readError(n, errno));
      return;
    }
    settleMovesAtIdle(this.#readTime, this.#removeRawWatch);
    sink.idle();
    if (count >= BURST_RECORDS && !this.#reader && this.#readerPolicy === 'auto') this.#startReader();
    if (count >= BURST_RECORDS || (count > 1 && sincePrevious < TRICKLE_MS)) {
      this.#nap = setTimeout(() => {
        this.#nap = undefined;
        void this.#drain();
      }, BURST_NAP_MS);
    } else {
      this.#poll();
    }
  }

  #poll(): void {
    if (this.#closed) return;
    this.#polling = true;
    pollAsync(this.#pollFds, 2, -1, () => {
      this.#polling = false;
      if (this.#closed) return this.#closeDone?.();
      void this.#drain();
    });
  }
}
