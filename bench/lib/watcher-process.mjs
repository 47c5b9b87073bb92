// A watcher under test (ours or inotify-tools) as a child process: started, awaited until its watches are
// established, observed through /proc, drained and stopped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { onCleanup } from './cleanup.mjs';
import { LineReader } from './lines.mjs';
import { cpuTime, inotifyWatchCount, memory } from './proc-stats.mjs';

/** The stderr line each tool prints once every watch is in place. */
export const READY = {
  inotifywait: 'Watches established.',
  inotifywatch: 'Finished establishing watches',
};

export class ToolFailure extends Error {}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class WatcherProcess {
  /**
   * @param {object} o
   * @param {string} o.command executable
   * @param {string[]} o.args
   * @param {string|null} o.readyText stderr text that means "watches established"
   * @param {number} [o.readyWatches] for a tool that prints no such line (fswatch): ready once it holds this
   *   many kernel inotify watches, polled from /proc every millisecond
   * @param {'pipe'|'ignore'|{file: string}|{fd: number}} [o.stdout] `fd`: an open descriptor to hand over
   */
  constructor({ command, args, readyText, readyWatches, stdout = 'ignore' }) {
    this.command = command;
    this.args = args;
    let stdio1 = stdout;
    let fd = null;
    if (typeof stdout === 'object' && 'file' in stdout) {
      fd = fs.openSync(stdout.file, 'w');
      stdio1 = fd;
    } else if (typeof stdout === 'object') {
      stdio1 = stdout.fd;
    }
    this.spawnedAt = process.hrtime.bigint();
    this.child = spawn(command, args, { stdio: ['ignore', stdio1, 'pipe'] });
    if (fd !== null) fs.closeSync(fd);
    this.pid = this.child.pid;
    this.undoCleanup = onCleanup(() => this.child.kill('SIGKILL'));
    this.lines = stdout === 'pipe' ? new LineReader(this.child.stdout) : null;
    this.stderr = '';
    this.exit = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.stderr += `${err.message}\n`;
        resolve({ code: null, signal: null, error: err });
      });
      this.child.on('exit', (code, signal) => {
        this.exitedAt = process.hrtime.bigint();
        this.exitStatus = signal ?? code;
        resolve({ code, signal });
      });
    });
    this.exit.then(() => this.undoCleanup());
    this.ready = new Promise((resolve, reject) => {
      const markReady = () => {
        this.readyAt = process.hrtime.bigint();
        // Taken at once, before the watcher does anything else.
        this.cpuAtReady = cpuTime(this.pid);
        this.memAtReady = memory(this.pid);
        resolve();
      };
      this.child.stderr.setEncoding('latin1');
      this.child.stderr.on('data', (chunk) => {
        // The first stderr line ("Setting up watches.") starts the set-up; set-up = ready − this.
        this.firstStderrAt ??= process.hrtime.bigint();
        this.stderr += chunk;
        if (readyText && this.readyAt === undefined && this.stderr.includes(readyText)) markReady();
      });
      let gone = false;
      if (readyWatches !== undefined) {
        const poll = () => {
          if (gone || this.readyAt !== undefined) return;
          if ((inotifyWatchCount(this.pid) ?? 0) >= readyWatches) markReady();
          else setTimeout(poll, 1);
        };
        poll();
      }
      const what = readyText ? `"${readyText}"` : `${readyWatches} kernel watches`;
      this.exit.then(({ code, signal }) => {
        gone = true;
        reject(new ToolFailure(`exited (${signal ?? code}) before ${what}: ${this.stderrSummary()}`));
      });
    });
    this.ready.catch(() => {});
  }

  stderrSummary() {
    const lines = this.stderr.split('\n').filter((l) => l.trim() && !/^\s+at /.test(l));
    // A Node crash starts with source context; the line naming the error is what the reader needs.
    const error = lines.find((l) => /^\w*Error\b/.test(l));
    return (error ?? lines.slice(0, 3).join(' / ')).slice(0, 300) || '(no stderr)';
  }

  /** Resolves once the watches are established; rejects if the tool dies or is too slow. */
  async waitReady(ms = 60000) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new ToolFailure(`no "established" line within ${ms} ms: ${this.stderrSummary()}`)), ms);
    });
    try {
      await Promise.race([this.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return Number(this.readyAt - this.spawnedAt) / 1e6;
  }

  cpu() {
    return cpuTime(this.pid);
  }

  memory() {
    return memory(this.pid);
  }

  signal(sig) {
    try {
      this.child.kill(sig);
    } catch {
      // Already gone.
    }
  }

  /** Sends `sig` and waits for the exit; SIGKILL if it takes longer than `ms`. */
  async stop(sig = 'SIGTERM', ms = 5000) {
    this.signal(sig);
    const timer = setTimeout(() => this.signal('SIGKILL'), ms);
    const res = await this.exit;
    clearTimeout(timer);
    return res;
  }
}

/**
 * Starts a watcher (`start(dir)`) on a fresh directory, creates a file `probe` in it, and runs
 * `check(w, dir)`; resolves with null when the tool works, else with what went wrong.
 */
export async function probeWatcher(start, check) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-bench-probe-'));
  const w = start(dir);
  try {
    await w.waitReady(15000);
    fs.writeFileSync(path.join(dir, 'probe'), '');
    await check(w, dir);
    return null;
  } catch (err) {
    return err.message;
  } finally {
    await w.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Counts the lines written so far to a file, reading only what is new on each call. */
export class FileLineCounter {
  constructor(file) {
    this.file = file;
    this.offset = 0;
    this.lines = 0;
    this.buf = Buffer.alloc(1 << 20);
  }

  count() {
    let fd;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return this.lines;
    }
    try {
      for (;;) {
        const n = fs.readSync(fd, this.buf, 0, this.buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        for (let i = 0; i < n; i++) if (this.buf[i] === 10) this.lines++;
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.lines;
  }
}

/**
 * Waits until the watcher has handled everything: `count()` reached `expected` and its CPU time stopped
 * moving, or neither moved for `quietMs` while it was not running (events were lost, or there is no output
 * to count). Returns the CPU reading at that point and `doneAt`, the hrtime of the last observed progress.
 */
export async function waitDrained(w, { count = () => 0, expected = Infinity, quietMs = 500, settleMs = 150, deadlineMs = 300000 }) {
  const start = Date.now();
  let lastN = -1;
  let lastCpu = -1;
  let lastChange = Date.now();
  let doneAt = process.hrtime.bigint();
  let reachedAt = null;
  for (;;) {
    await sleep(10);
    const n = count();
    const cpu = w.cpu();
    if (cpu === null) return { cpu: null, count: n, exited: true, doneAt };
    const now = Date.now();
    // Ticks, not schedstat: a sleeping process's schedstat can still creep by a few µs (its wake-ups for
    // nothing), which must not count as work.
    if (n !== lastN || cpu.totalMs !== lastCpu) {
      lastChange = now;
      doneAt = process.hrtime.bigint();
      lastN = n;
      lastCpu = cpu.totalMs;
    }
    if (n >= expected && reachedAt === null) reachedAt = process.hrtime.bigint();
    const idle = now - lastChange;
    if (n >= expected && idle >= settleMs) return { cpu, count: n, doneAt: reachedAt };
    if (idle >= quietMs && cpu.state !== 'R') return { cpu, count: n, doneAt };
    if (now - start > deadlineMs) return { cpu, count: n, timedOut: true, doneAt };
  }
}
