/**
 * The /proc scan source: START and EXIT events for the processes a selector accepts (the fallback when
 * the kernel's proc connector cannot be used, see connector-source.ts).
 * - New processes are found by scanning /proc every interval, so one that lives shorter than the interval
 *   can be missed entirely.
 * - Exits come from an ExitWatcher (pidfd: at once; fallback: at the next poll).
 * Only PIDs not seen before are read on each scan, which keeps a scan cheap on busy machines. A process that
 * did not match is looked at again while it is young, because fork+exec changes its name right after it
 * appears. Written against the ExitWatcher interface only, so it can move to event-core unchanged.
 */
import { readFileSync } from 'node:fs';
import { CLOCK_TICKS, listPids, readProcess, type ReadParts } from '../proc/proc-table.js';
import { hasEnded } from '../proc/stat.js';
import type { ExitStatus } from './exit-status.js';
import type { ExitWatcher } from './exit-watcher.js';
import { probe } from './exit-watcher.js';
import { snapshot, type ProcEvent, type ProcSnapshot } from './proc-event.js';
import type { ProcessSource, SourceOptions } from './process-source.js';

export interface ProcSourceOptions extends SourceOptions {
  /** Time between /proc scans, ms. */
  intervalMs: number;
  exitWatcher: ExitWatcher;
}

/** A non-matching process is re-read while younger than this (covers the fork → exec gap). */
const YOUNG_TICKS = 3 * CLOCK_TICKS;
/** Everything an event can show (a superset of what any selector needs). */
const EVENT_PARTS: ReadParts = { status: true, cmdline: true };

function uptimeTicks(): number {
  return Math.floor(parseFloat(readFileSync('/proc/uptime', 'latin1')) * CLOCK_TICKS);
}

export class ProcSource implements ProcessSource {
  readonly kind = 'scan' as const;
  readonly #options: ProcSourceOptions;
  readonly #onEvent: (event: ProcEvent) => void;
  /** Matching processes being watched for their exit. */
  readonly #tracked = new Map<number, ProcSnapshot>();
  /** Non-matching processes: pid → start ticks. */
  readonly #ignored = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ProcSourceOptions, onEvent: (event: ProcEvent) => void) {
    this.#options = options;
    this.#onEvent = onEvent;
  }

  /** The first scan (synchronous), then one every interval. */
  start(): void {
    this.#scan(true);
    this.#timer = setInterval(() => this.#scan(false), this.#options.intervalMs);
  }

  /** PIDs of the matching processes currently running. */
  running(): number[] {
    return [...this.#tracked.keys()];
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#options.exitWatcher.close();
  }

  #scan(initial: boolean): void {
    const { selector, exclude } = this.#options;
    const now = uptimeTicks();
    const present = new Set<number>();
    for (const pid of listPids()) {
      present.add(pid);
      if (pid === process.pid || exclude?.has(pid) || this.#tracked.has(pid)) continue;
      const knownStart = this.#ignored.get(pid);
      if (knownStart !== undefined && now - knownStart > YOUNG_TICKS) continue;
      const info = readProcess(pid, EVENT_PARTS);
      if (info === undefined) continue; // vanished mid-read
      if (hasEnded(info.stat.state) || !selector.matches(info)) {
        this.#ignored.set(pid, info.stat.startTicks);
        continue;
      }
      this.#ignored.delete(pid);
      this.#track(snapshot(info), !initial || this.#options.reportExisting);
      if (this.#closed) return;
    }
    for (const pid of this.#ignored.keys()) if (!present.has(pid)) this.#ignored.delete(pid);
  }

  #track(proc: ProcSnapshot, announce: boolean): void {
    this.#tracked.set(proc.pid, proc);
    if (announce) this.#onEvent({ kind: 'START', time: Date.now(), proc });
    if (this.#closed) return;
    const watching = this.#options.exitWatcher.watch(proc.pid, proc.startTicks, (status) => this.#exited(proc, status));
    if (!watching) {
      // Ended between the scan and the watch: report it now, with its status if it is still a zombie.
      const state = probe(proc.pid, proc.startTicks);
      this.#exited(proc, state.ended ? state.status : undefined);
    }
  }

  #exited(proc: ProcSnapshot, status: ExitStatus | undefined): void {
    if (this.#tracked.get(proc.pid) !== proc) return;
    this.#tracked.delete(proc.pid);
    if (this.#closed) return;
    this.#onEvent({ kind: 'EXIT', time: Date.now(), proc, exit: status });
  }
}
