/**
 * Triggers → command runs, within the limits: at most `processes` at once, at most `queueDepth` waiting
 * (beyond that a trigger is dropped), optionally one waiting entry per directory (`--coalesce`), and at
 * most `times` runs in all. Knows nothing of inotify or of how a command is started.
 */
import type { ByteString } from '@inotifykit/event-core';
import type { Outcome, RunningCommand } from './command-process.js';
import { Fifo } from './fifo.js';

export interface ScheduleLimits {
  /** Commands at once (may be Infinity). */
  readonly processes: number;
  /** Triggers that may wait (may be Infinity; 0 = none wait). */
  readonly queueDepth: number;
  /** A directory already waiting is not queued again. */
  readonly coalesce: boolean;
  /** Runs in all, then stop; undefined = no limit. */
  readonly times: number | undefined;
}

/** What became of one trigger. */
export type TriggerResult =
  | 'started'
  | 'queued'
  /** The directory was already waiting (`--coalesce`). */
  | 'coalesced'
  /** The queue was full. */
  | 'dropped'
  /** Stopped, or enough runs are already started or queued to reach `--times`. */
  | 'ignored';

export interface SchedulerHooks {
  /** Starts a run for a directory. */
  launch(directory: ByteString): RunningCommand;
  /** A trigger found the queue full. */
  dropped(directory: ByteString, limits: ScheduleLimits): void;
  /** A run ended. */
  finished(run: RunningCommand, outcome: Outcome): void;
  /** `times` runs have finished. */
  exhausted(): void;
}

export class Scheduler {
  readonly #limits: ScheduleLimits;
  readonly #hooks: SchedulerHooks;
  readonly #queue = new Fifo<ByteString>();
  /** The directories in the queue, for `--coalesce`. */
  readonly #waiting = new Set<ByteString>();
  readonly #running = new Set<RunningCommand>();
  #started = 0;
  #finished = 0;
  #accepting = true;
  #idleWaiters: Array<() => void> = [];

  constructor(limits: ScheduleLimits, hooks: SchedulerHooks) {
    this.#limits = limits;
    this.#hooks = hooks;
  }

  /** Runs currently going. */
  get running(): number {
    return this.#running.size;
  }

  /** Triggers currently waiting. */
  get queued(): number {
    return this.#queue.length;
  }

  trigger(directory: ByteString): TriggerResult {
    if (!this.#accepting) return 'ignored';
    const { times, processes, queueDepth, coalesce } = this.#limits;
    if (times !== undefined && this.#started + this.#queue.length >= times) return 'ignored';
    if (this.#running.size < processes && this.#queue.length === 0) {
      this.#start(directory);
      return 'started';
    }
    if (coalesce && this.#waiting.has(directory)) return 'coalesced';
    if (this.#queue.length >= queueDepth) {
      this.#hooks.dropped(directory, this.#limits);
      return 'dropped';
    }
    this.#queue.push(directory);
    if (coalesce) this.#waiting.add(directory);
    return 'queued';
  }

  /** Accepts no more triggers; what is queued still runs. */
  close(): void {
    this.#accepting = false;
  }

  /** Accepts no more triggers and forgets what is queued: nothing new starts. */
  stop(): void {
    this.#accepting = false;
    this.#queue.clear();
    this.#waiting.clear();
    this.#notifyIfIdle();
  }

  /** Sends a signal to every running command's process group. */
  signalAll(signal: NodeJS.Signals): void {
    for (const run of this.#running) run.signal(signal);
  }

  /** Resolves when nothing runs and nothing waits. */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return this.#running.size === 0 && this.#queue.length === 0;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #start(directory: ByteString): void {
    this.#started++;
    const run = this.#hooks.launch(directory);
    this.#running.add(run);
    void run.done.then((outcome) => this.#onFinished(run, outcome));
  }

  #onFinished(run: RunningCommand, outcome: Outcome): void {
    this.#running.delete(run);
    this.#finished++;
    this.#hooks.finished(run, outcome);
    if (this.#limits.times !== undefined && this.#finished >= this.#limits.times) {
      this.#accepting = false;
      this.#hooks.exhausted();
    }
    while (this.#running.size < this.#limits.processes) {
      const next = this.#queue.take();
      if (next === undefined) break;
      this.#waiting.delete(next);
      this.#start(next);
    }
    this.#notifyIfIdle();
  }
}
