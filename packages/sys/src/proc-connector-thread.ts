/**
 * The proc connector's reader thread, seen from the main thread: starts the worker (its body is in
 * proc-connector-worker.ts), hands its batches on, does a synchronous pass on request (readNow), and
 * stops it. The worker is started from source text, so the bundled CLIs need no second file.
 */
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import { koffiPath } from './library.js';
import { bindConnectorCalls, connectorReaderMain, type ConnectorReaderBatch, type ConnectorReaderControl } from './proc-connector-worker.js';

const require = createRequire(import.meta.url);
const AT: ConnectorReaderControl = { STOP: 0, PASS_REQUESTED: 1, PASS_DONE: 2, FAILED: 3, LOADED: 4, PRIORITY: 5 };
/** A process that exits while the worker is inside koffi's dlopen dies of a V8 fatal error: wait, briefly. */
const LOAD_WAIT_AT_EXIT_MS = 1000;
/** How long readNow() waits for the thread to reach the end of the socket's queue. */
const PASS_TIMEOUT_MS = 2000;

/** ES2024's Atomics.waitAsync (in Node since 16), which this project's TypeScript lib does not declare. */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}

/** What the thread managed for itself: SCHED_FIFO, nice -20, or the default priority. */
export type ReaderPriority = 'realtime' | 'nice' | 'normal';

export interface ConnectorThreadOptions {
  readonly fd: number;
  readonly wakeFd: number;
  /** A taskstats socket to read in the same loop (-1: none). */
  readonly taskstatsFd: number;
  /** Every task's statistics, not only those of the execs gone before they could be read. */
  readonly taskstatsAll: boolean;
  /** proc_event.what values whose process is read from /proc at once. */
  readonly readOn: readonly number[];
  readonly raisePriority: boolean;
  readonly onBatch: (batch: ConnectorReaderBatch) => void;
  readonly onError: (err: Error) => void;
}

export class ConnectorThread {
  readonly #ctrl = new Int32Array(new SharedArrayBuffer(4 * 6));
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #onBatch: (batch: ConnectorReaderBatch) => void;
  readonly exited: Promise<void>;
  #failure: Error | undefined;

  constructor(o: ConnectorThreadOptions) {
    this.#onBatch = o.onBatch;
    const source =
      `const wt = require('node:worker_threads');\n` +
      `const d = wt.workerData;\n` +
      `const calls = (${bindConnectorCalls.toString()})(require, d.koffiPath);\n` +
      `Atomics.store(d.ctrl, d.at.LOADED, 1); Atomics.notify(d.ctrl, d.at.LOADED);\n` +
      `(${connectorReaderMain.toString()})(d, calls, (b) => d.port.postMessage(b, [b.data.buffer]));\n` +
      `d.port.close();`;
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    const channel = new threads.MessageChannel();
    this.#port = channel.port1;
    this.#port.on('message', (batch: ConnectorReaderBatch) => this.#onBatch(batch));
    this.#worker = new threads.Worker(source, {
      eval: true,
      workerData: { koffiPath: koffiPath(), fd: o.fd, wakeFd: o.wakeFd, taskstatsFd: o.taskstatsFd, taskstatsAll: o.taskstatsAll, ctrl: this.#ctrl, at: AT, readOn: o.readOn, raisePriority: o.raisePriority, port: channel.port2 },
      transferList: [channel.port2],
      // Its heap holds little more than koffi and a batch: a small young generation saves resident memory.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    this.#worker.on('error', (err) => {
      this.#failure = err;
      o.onError(err);
    });
    this.#worker.on('exit', () => {
      const failed = Atomics.load(this.#ctrl, AT.FAILED);
      if (failed !== 0 && Atomics.load(this.#ctrl, AT.STOP) === 0) o.onError(new ReaderFailure(failed));
    });
    this.exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /**
   * Resolves once the thread has read the socket's queue to its end once (what queued while it started is
   * handled: from then on a record is read as it comes), with the priority it got (undefined: it failed to
   * start).
   */
  async reading(): Promise<ReaderPriority | undefined> {
    for (;;) {
      const value = Atomics.load(this.#ctrl, AT.PRIORITY);
      if (value !== 0) return (['normal', 'nice', 'realtime'] as const)[value - 1];
      if (this.#failure) return undefined;
      const wait = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.#ctrl, AT.PRIORITY, 0);
      // The worker's 'error' event does not touch the word: look again at least every 100 ms.
      if (wait.async) await Promise.race([wait.value, new Promise((r) => setTimeout(r, 100))]);
    }
  }

  /**
   * Everything the kernel has queued until now, delivered synchronously: asks the thread for a pass to
   * the end of the socket's queue, waits for it (bounded), then takes its batches off the port.
   */
  drainNow(wake: () => void, deliver: (batch: ConnectorReaderBatch) => void = this.#onBatch): void {
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    if (Atomics.load(this.#ctrl, AT.PRIORITY) !== 0 && !this.#failure) {
      const request = Atomics.add(this.#ctrl, AT.PASS_REQUESTED, 1) + 1;
      wake();
      const deadline = performance.now() + PASS_TIMEOUT_MS;
      for (;;) {
        const done = Atomics.load(this.#ctrl, AT.PASS_DONE);
        if (done >= request || Atomics.load(this.#ctrl, AT.FAILED) !== 0) break;
        const left = deadline - performance.now();
        if (left <= 0) break;
        Atomics.wait(this.#ctrl, AT.PASS_DONE, done, Math.min(left, 50));
      }
    }
    for (let m = threads.receiveMessageOnPort(this.#port); m; m = threads.receiveMessageOnPort(this.#port)) deliver(m.message as ConnectorReaderBatch);
  }

  /** For the process's exit path (synchronous): waits, bounded, until the worker is past loading koffi. */
  settleForExit(): void {
    if (!this.#failure) Atomics.wait(this.#ctrl, AT.LOADED, 0, LOAD_WAIT_AT_EXIT_MS);
  }

  /** Asks the thread to stop (`wake` ends its poll); resolves when it has. */
  stop(wake: () => void): Promise<void> {
    Atomics.store(this.#ctrl, AT.STOP, 1);
    wake();
    return this.exited.then(() => this.#port.close());
  }
}

/** The reader thread's recv or poll failed: its errno (-1: the socket was shut). */
export class ReaderFailure extends Error {
  constructor(readonly errno: number) {
    super(`the proc connector's reader failed (errno ${errno})`);
    this.name = 'ReaderFailure';
  }
}
