/**
 * --ensure: keep at least one matching process running. Every interval, at once whenever a watched
 * process exits, and (with the proc connector) whenever a matching program is exec'd, /proc is searched; when nothing matches and procwatch's own child is not running either,
 * COMMAND is started (argv, no shell) after the back-off delay. Each start and exit is logged.
 * Stopping procwatch leaves the started process running (it is a service, not a job); Ctrl-C in a terminal
 * reaches both, since they share the terminal's process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { toText } from '../bytes.js';
import { SpawnError } from '../errors.js';
import type { Selector } from '../select/criteria.js';
import { search } from '../select/search.js';
import { describeExit, fromChildExit } from '../watch/exit-status.js';
import type { ExitWatcher } from '../watch/exit-watcher.js';
import { Backoff, type BackoffPolicy } from './backoff.js';

export interface SupervisorOptions {
  selector: Selector;
  /** What the user called the process (the PATTERN), for log lines. */
  label: string;
  command: readonly string[];
  intervalMs: number;
  backoff: BackoffPolicy;
  exitWatcher: ExitWatcher;
  log: (message: string) => void;
}

/** A command for a log line: words with spaces or quotes are single-quoted, so it reads unambiguously. */
function showCommand(argv: readonly string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export class Supervisor {
  readonly #o: SupervisorOptions;
  readonly #backoff: Backoff;
  /** Matching processes procwatch did not start, watched for their exit. */
  readonly #watched = new Set<number>();
  #child: ChildProcess | undefined;
  #startTimer: NodeJS.Timeout | undefined;
  #scanTimer: NodeJS.Timeout | undefined;
  #everStarted = false;
  #fail: (err: Error) => void = () => {};

  constructor(options: SupervisorOptions) {
    this.#o = options;
    this.#backoff = new Backoff(options.backoff);
  }

  /** Runs until a fatal error (the command cannot be started at all), which it rejects with. */
  run(): Promise<never> {
    const failed = new Promise<never>((_, reject) => (this.#fail = reject));
    this.#check();
    this.#scanTimer = setInterval(() => this.#check(), this.#o.intervalMs);
    return failed;
  }

  async stop(): Promise<void> {
    clearInterval(this.#scanTimer);
    clearTimeout(this.#startTimer);
    await this.#o.exitWatcher.close();
  }

  /** Look again now (a matching program was just exec'd, says the proc connector). */
  nudge(): void {
    this.#check();
  }

  #check(): void {
    if (this.#child) return;
    // A match found while a start is pending (someone else started it during the back-off) cancels it.
    if (this.#adopt()) {
      clearTimeout(this.#startTimer);
      this.#startTimer = undefined;
      return;
    }
    if (this.#startTimer) return;
    const delay = this.#backoff.delayMs();
    if (delay > 0) {
      this.#o.log(`crash loop (${this.#backoff.quickExits} quick exits in a row): next start in ${seconds(delay)}`);
    }
    this.#startTimer = setTimeout(() => {
      this.#startTimer = undefined;
      this.#start();
    }, delay);
  }

  /** Watches the matching processes not watched yet; true when any is watched. */
  #adopt(): boolean {
    const found = search(this.#o.selector, { pick: 'all' });
    for (const proc of found) {
      if (this.#watched.has(proc.pid)) continue;
      const { pid } = proc;
      const name = toText(proc.stat.comm);
      const watching = this.#o.exitWatcher.watch(pid, proc.stat.startTicks, (status) => {
        this.#watched.delete(pid);
        this.#o.log(`PID ${pid} (${name}) exited with ${describeExit(status)}`);
        this.#check();
      });
      if (!watching) continue;
      if (this.#watched.size === 0) this.#o.log(`'${this.#o.label}' is running: PID ${pid} (${name})`);
      this.#watched.add(pid);
    }
    return this.#watched.size > 0;
  }

  #start(): void {
    const [file, ...rest] = this.#o.command;
    const shown = showCommand(this.#o.command);
    const startedAt = Date.now();
    const child = spawn(file!, rest, { stdio: ['ignore', 'inherit', 'inherit'] });
    this.#child = child;
    let settled = false;
    child.once('spawn', () => {
      this.#everStarted = true;
      this.#o.log(`started PID ${child.pid}: ${shown}`);
    });
    child.once('error', (err) => {
      if (settled) return;
      settled = true;
      this.#child = undefined;
      if (!this.#everStarted) {
        this.#fail(new SpawnError(shown, err.message));
        return;
      }
      this.#o.log(`cannot start ${shown}: ${err.message}`);
      this.#backoff.recordFailure();
      this.#check();
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      this.#child = undefined;
      const ran = Date.now() - startedAt;
      this.#backoff.recordRun(ran);
      this.#o.log(`PID ${child.pid} exited with ${describeExit(fromChildExit(code, signal))} after ${seconds(ran)}`);
      this.#check();
    });
  }
}
