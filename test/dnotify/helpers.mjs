// Shared helpers for the dnotify tests: real temp directories, the real CLI from bin/, real processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DNOTIFY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/dnotify');

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-dnotify-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a truthy value; throws with `what` after the deadline. */
export async function waitFor(check, what, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

import { inotifyWatchCount } from '../lib/proc.mjs';

export { inotifyWatchCount };

/** Every process started here; any still alive when the test file ends (a failed test) is killed. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Starts dnotify (or, with `viaShell`, a shell command line) with stdout/stderr collected.
 * `ready(n)` resolves once the process holds n inotify watches: from then on every change is seen.
 */
export function start(args, { cwd, env, viaShell } = {}) {
  const child = viaShell
    ? spawn('/bin/sh', ['-c', viaShell, DNOTIFY, ...args], { cwd, env: { ...process.env, ...env } })
    : spawn(DNOTIFY, args, { cwd, env: { ...process.env, ...env } });
  live.add(child);
  child.on('exit', () => live.delete(child));
  const out = [];
  const err = [];
  child.stdout.on('data', (chunk) => out.push(chunk));
  child.stderr.on('data', (chunk) => err.push(chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err).toString('utf8'),
    ready: (watches = 1) => waitFor(() => inotifyWatchCount(child.pid) >= watches, `${watches} watch(es) in dnotify`),
    /** Resolves with the exit, or kills the process and throws after the deadline. */
    async finished(timeoutMs = 8000) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`dnotify did not exit in ${timeoutMs} ms; stderr: ${Buffer.concat(err).toString()}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Runs dnotify to completion (for option errors and other quick exits). */
export async function run(args, options) {
  const proc = start(args, options);
  const { code, signal } = await proc.finished();
  return { code, signal, stdout: proc.stdout().toString('utf8'), stderr: proc.stderr() };
}

/** A command line for -e that appends `{}` and a newline to $LOG (set in the env). */
export const LOG_DIR = ['sh', '-c', 'printf "%s\\n" "$1" >> "$LOG"', 'sh', '{}'];

/** Lines of a log file, [] while it does not exist. */
export function logLines(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

/** Creates an empty file (one IN_CREATE in its directory). */
export function touch(file) {
  fs.closeSync(fs.openSync(file, 'w'));
}
