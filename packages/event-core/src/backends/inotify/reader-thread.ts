/**
 * A thread of our own that drains the kernel queue during bursts. The kernel queue holds 16,384 events
 * by default, about 30 ms of a hard burst; when the main thread spends that long elsewhere (rendering,
 * writing, collecting garbage, or just not being scheduled while the writers hold every core), events
 * are lost. The reader thread does nothing but read() into a shared ring of 32 MiB, so the main thread can
 * fall behind by a million events without loss.
 *
 * The inotify backend loads it at the first burst, or right after start-up for long runs (a worker costs
 * ~40 ms and ~10 MB, which an idle or lightly used watcher should not pay), and hands it the fd only during
 * bursts: between them the main thread reads, woken by its own event loop, which is faster for sporadic
 * events. Only one side reads the fd at a time, so records stay in order: GO is the token. The main thread
 * stops reading and sets it; the reader, once nothing has come for `handBackMs`, stops and clears it.
 */
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { RawEvent } from '../../model/event.js';
import type { ByteString } from '../../model/bytes.js';
import type { EventMask } from '../../model/mask.js';
import { EventBuffer } from './decode.js';
import { bindWorkerCalls, koffiPath } from '@inotifykit/sys';
import { readerMain } from './reader-worker.js';
import { readTimeScanner, settleMovesAtIdle, watchNewDirsAtRead } from './read-time-watches.js';
import type { ReaderControl, ReaderShared } from './reader-worker.js';

/** About a million records (2 s of a hard burst). Pages become resident only as a backlog reaches them. */
const RING_SIZE = 32 * 1024 * 1024;
/** A read needs room for the largest record: 16 bytes of header and NAME_MAX + 1, padded. */
const MIN_READ = 4096;
const MAX_READ = 256 * 1024;
/** The resident part of the ring under light traffic (see reader-worker.ts). */
const RESTART_AT = 128 * 1024;
/** At most this much of the ring is handed to the sink at once, so a backlog comes in batches. */
const BATCH_BYTES = 256 * 1024;
/** The largest record: a 16-byte header and NAME_MAX + 1 bytes of name, padded. */
const MAX_RECORD = 16 + 256;
const require = createRequire(import.meta.url);
/**
 * ctrl[LOADED] becomes 1 once the worker has loaded koffi. A process that exits while a worker is still
 * inside the addon's dlopen dies of a V8 fatal error (napi_throw), so the exit path waits for it, briefly.
 */
const LOADED = 10;
const LOAD_WAIT_AT_EXIT_MS = 1000;
const AT: ReaderControl = { GO: 0, STOP: 1, WRITE: 2, READ: 3, WRAP: 4, IDLE: 5, PASS_REQUESTED: 6, PASS_DONE: 7, FAILED: 8, SEQ: 9, FOLLOWED: 11 };
/** How long readNow() waits for the reader to reach the end of the queue. */
const PASS_TIMEOUT_MS = 2000;

/** ES2024's Atomics.waitAsync (in Node since 16), which this project's TypeScript lib does not declare. */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}

export interface ReaderOptions {
  readonly fd: number;
  readonly wakeFd: number;
  readonly burstRecords: number;
  readonly trickleMs: number;
  /** Idle this long, the reader hands the fd back. */
  readonly handBackMs: number;
  /** Writes the wake eventfd (the reader may be waiting in poll()). */
  readonly wake: () => void;
}

export class ReaderThread {
  /** The control words (AT), and LOADED, set by the worker once koffi is in. */
  readonly #ctrl = new Int32Array(new SharedArrayBuffer(4 * 12));
  readonly #ring: Buffer;
  /**
   * Each batch is copied out of the ring before it is decoded: reading a SharedArrayBuffer through typed
   * arrays and latin1Slice is ~40 % slower per record, and the copy is one memcpy.
   */
  readonly #batch = new EventBuffer(BATCH_BYTES + MAX_RECORD);
  readonly #worker: Worker;
  /**
   * Main → reader: directories to follow (read-time-watches.ts); reader → main: its whole set at a
   * hand-back. Both sides read it with receiveMessageOnPort.
   */
  readonly #port: MessagePort;
  readonly #receive: (port: MessagePort) => { message: unknown } | undefined;
  readonly #wake: () => void;
  readonly exited: Promise<void>;
  /** Where the next record to consume starts (the main thread's copy of READ). */
  #read = 0;
  /** The worker has loaded koffi and waits for GO. */
  ready = false;
  /** The worker failed (to start, or later): the message, for the sink. */
  failure: Error | undefined;

  constructor(options: ReaderOptions) {
    const ring = new SharedArrayBuffer(RING_SIZE);
    this.#ring = Buffer.from(ring);
    this.#wake = options.wake;
    const shared: ReaderShared = {
      koffiPath: koffiPath(),
      fd: options.fd,
      wakeFd: options.wakeFd,
      ctrl: this.#ctrl,
      ring,
      minRead: MIN_READ,
      maxRead: MAX_READ,
      restartAt: RESTART_AT,
      at: AT,
      burstRecords: options.burstRecords,
      trickleMs: options.trickleMs,
      handBackMs: options.handBackMs,
    };
    // From source text, so the bundled CLIs need no second file; readerMain is self-contained.
    const source =
      `const wt = require('node:worker_threads');\n` +
      `const calls = (${bindWorkerCalls.toString()})(require, wt.workerData.koffiPath);\n` +
      `Atomics.store(wt.workerData.ctrl, ${LOADED}, 1); Atomics.notify(wt.workerData.ctrl, ${LOADED});\n` +
      `const port = wt.workerData.port;\n` +
      `const readTime = (${readTimeScanner.toString()})(() => wt.receiveMessageOnPort(port)?.message, ` +
      `(path, mask) => calls.inotifyAddWatch(wt.workerData.fd, path, mask), ${watchNewDirsAtRead.toString()}, ` +
      `(wd) => calls.inotifyRmWatch(wt.workerData.fd, wd), ${settleMovesAtIdle.toString()});\n` +
      `(${readerMain.toString()})(wt.workerData, calls, readTime, () => wt.parentPort.postMessage('ready'), ` +
      `(triples) => port.postMessage(triples));\n` +
      `port.close();`;
    // Loaded here, not at start-up: most runs never start a reader thread before their watches are up.
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    this.#receive = threads.receiveMessageOnPort;
    const channel = new threads.MessageChannel();
    this.#port = channel.port1;
    this.#port.unref();
    this.#worker = new threads.Worker(source, {
      eval: true,
      workerData: { ...shared, port: channel.port2 },
      transferList: [channel.port2],
      // Its heap holds little more than koffi: a small young generation saves ~1.5 MB of resident memory.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    this.#worker.on('message', () => (this.ready = true));
    this.#worker.on('error', (err) => {
      this.ready = false;
      this.failure = err;
      // The main thread may be waiting for the ring: wake it to report the failure.
      Atomics.add(this.#ctrl, AT.SEQ, 1);
      Atomics.notify(this.#ctrl, AT.SEQ);
    });
    this.exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Directories whose new subdirectories the reader watches as it reads: flat [wd, path, mask] triples. */
  follow(triples: (number | string | null)[]): void {
    if (triples.length > 0) this.#port.postMessage(triples);
  }

  /** The main thread has stopped reading: the reader takes over (until it hands back). */
  go(): void {
    Atomics.store(this.#ctrl, AT.GO, 1);
    Atomics.notify(this.#ctrl, AT.GO);
  }

  /** For the process's exit path (synchronous): waits, bounded, until the worker is past loading koffi. */
  settleForExit(): void {
    if (this.failure) return;
    Atomics.wait(this.#ctrl, LOADED, 0, LOAD_WAIT_AT_EXIT_MS);
  }

  /** Asks the reader to stop (it then exits); also safe from a process 'exit' handler. */
  stop(): Promise<void> {
    Atomics.store(this.#ctrl, AT.STOP, 1);
    this.#port.close();
    // Not 0, so a reader about to park cannot miss the notify; it sees STOP first and exits.
    Atomics.store(this.#ctrl, AT.GO, 2);
    Atomics.notify(this.#ctrl, AT.GO);
    Atomics.notify(this.#ctrl, AT.READ);
    this.#wake();
    return this.exited;
  }

  /**
   * The next records in order (up to BATCH_BYTES of them), or undefined when the ring is empty. `count`
   * may take them all as counts (it returns how many, or -1 to have them decoded): a number is that count.
   */
  next(count?: (records: EventBuffer, end: number) => number): RawEvent[] | number | undefined {
    // Twice at most: the data before a wrap may be used up, then it goes on at 0.
    for (let turn = 0; turn < 2; turn++) {
      const write = Atomics.load(this.#ctrl, AT.WRITE);
      if (write === this.#read) break;
      // Behind the writer: up to it. Ahead of it, the writer has wrapped: up to where that data ends.
      const end = write > this.#read ? write : Atomics.load(this.#ctrl, AT.WRAP);
      // Whole records only: the copy reaches `end`, or a full record past the batch's last start.
      const copied = this.#ring.copy(this.#batch.bytes, 0, this.#read, Math.min(end, this.#read + BATCH_BYTES + MAX_RECORD));
      const taken = this.#batch.recordsEnd(0, copied, BATCH_BYTES);
      const counted = taken > 0 && count ? count(this.#batch, taken) : -1;
      const records: RawEvent[] = [];
      if (counted < 0) this.#batch.decodeRange(0, taken, records);
      this.#read += taken;
      if (this.#read === end && write < end) this.#read = 0;
      // The names are copied out: the space is free again at once.
      Atomics.store(this.#ctrl, AT.READ, this.#read);
      Atomics.notify(this.#ctrl, AT.READ);
      if (counted > 0) return counted;
      if (records.length > 0) return records;
    }
    return undefined;
  }

  #empty(): boolean {
    return Atomics.load(this.#ctrl, AT.WRITE) === this.#read;
  }

  /** After a hand-back: the followed directories the reader gave back, each to `take`. */
  takeFollowed(take: (wd: number, path: ByteString, mask: EventMask) => void): void {
    for (let got = this.#receive(this.#port); got !== undefined; got = this.#receive(this.#port)) {
      const triples = got.message as (number | string)[];
      for (let i = 0; i + 2 < triples.length; i += 3) take(triples[i] as number, triples[i + 1] as ByteString, triples[i + 2] as EventMask);
    }
  }

  /** The reader has handed the fd back (it no longer reads), and the ring is empty. */
  get handedBack(): boolean {
    return Atomics.load(this.#ctrl, AT.GO) === 0 && this.#empty();
  }

  /** The ring is empty and the reader found the kernel queue empty too. */
  get idle(): boolean {
    return Atomics.load(this.#ctrl, AT.IDLE) === 1 && this.#empty();
  }

  /** The directories the reader thread follows, as of its last empty queue. */
  get followed(): number {
    return Atomics.load(this.#ctrl, AT.FOLLOWED);
  }

  /** A read failed: its errno, -1 for end of file, 0 when none did. */
  get readFailure(): number {
    return Atomics.load(this.#ctrl, AT.FAILED);
  }

  /** A token for changed(): take it before looking at the state. */
  get seq(): number {
    return Atomics.load(this.#ctrl, AT.SEQ);
  }

  /** Resolves once anything has happened since `seq` was taken. */
  async changed(seq: number): Promise<void> {
    const wait = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.#ctrl, AT.SEQ, seq);
    if (wait.async) await wait.value;
  }

  /**
   * Everything the kernel has queued until now, delivered synchronously (readNow): asks the reader for a
   * pass to the end of the queue and consumes the ring until it is done. False when the reader has handed
   * the fd back instead (everything it read is delivered): the caller reads the rest itself.
   */
  drainNow(deliver: (records: RawEvent[]) => void): boolean {
    const request = Atomics.add(this.#ctrl, AT.PASS_REQUESTED, 1) + 1;
    this.#wake();
    const deadline = performance.now() + PASS_TIMEOUT_MS;
    for (;;) {
      const seq = this.seq;
      for (let records = this.next(); records; records = this.next()) deliver(records as RawEvent[]);
      if (this.handedBack) return false;
      const done = Atomics.load(this.#ctrl, AT.PASS_DONE) >= request;
      if ((done && this.#empty()) || this.readFailure !== 0) return true;
      if (this.failure || performance.now() > deadline) return true;
      Atomics.wait(this.#ctrl, AT.SEQ, seq, 50);
    }
  }
}
