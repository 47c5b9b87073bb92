/**
 * The fallback exit watcher: every interval, each watched process's stat file is read again. An exit is
 * seen up to one interval late, and its status only if the process is still a zombie at that moment.
 */
import type { ExitCallback, ExitWatcher } from './exit-watcher.js';
import { probe } from './exit-watcher.js';

interface Entry {
  startTicks: number;
  onExit: ExitCallback;
}

export class PollingExitWatcher implements ExitWatcher {
  readonly kind = 'poll' as const;
  readonly #entries = new Map<number, Entry>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  watch(pid: number, startTicks: number, onExit: ExitCallback): boolean {
    if (probe(pid, startTicks).ended) return false;
    this.#entries.set(pid, { startTicks, onExit });
    this.#timer ??= setInterval(() => this.#check(), this.#intervalMs);
    return true;
  }

  unwatch(pid: number): void {
    this.#entries.delete(pid);
    this.#stopIfIdle();
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#stopIfIdle();
  }

  #check(): void {
    for (const [pid, entry] of this.#entries) {
      const state = probe(pid, entry.startTicks);
      if (!state.ended) continue;
      this.#entries.delete(pid);
      entry.onExit(state.status);
    }
    this.#stopIfIdle();
  }

  #stopIfIdle(): void {
    if (this.#entries.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
