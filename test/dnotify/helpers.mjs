// Shared helpers for the dnotify tests: real temp directories, the real CLI from bin/, real processes.
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { binPath, newTempDir, startTool, waitFor as sharedWaitFor } from '../lib/cli.mjs';
import { inotifyWatchCount } from '../lib/proc.mjs';

export { inotifyWatchCount };

export const DNOTIFY = binPath('dnotify');

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir() {
  return newTempDir('ik-dnotify-');
}

/**
 * For a test file: one temp directory for all its tests (made before them, removed after them) and a
 * function giving each case a fresh directory in it, with subdirectories `subdirs`.
 */
export function caseDirs() {
  let tmp;
  let n = 0;
  before(() => (tmp = tempDir()));
  after(() => tmp.cleanup());
  return (...subdirs) => {
    const base = path.join(tmp.dir, `case${n++}`);
    fs.mkdirSync(base);
    for (const d of subdirs) fs.mkdirSync(path.join(base, d));
    return base;
  };
}

/** Polls `check` until it returns a truthy value; throws with `what` after the deadline. */
export function waitFor(check, what, timeoutMs = 8000) {
  return sharedWaitFor(check, what, timeoutMs);
}

/** Every process started here; any still alive when the test file ends (a failed test) is killed. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Starts dnotify (or, with `viaShell`, a shell command line) with stdout/stderr collected; its stdin is a
 * pipe left open. `ready(n)` resolves once the process holds n inotify watches: from then on every change is seen.
 */
export function start(args, { cwd, env, viaShell } = {}) {
  const [bin, argv] = viaShell ? ['/bin/sh', ['-c', viaShell, DNOTIFY, ...args]] : [DNOTIFY, args];
  const proc = startTool(bin, argv, { cwd, env: { ...process.env, ...env }, openStdin: true, killSignal: 'SIGKILL' });
  const { child } = proc;
  live.add(child);
  child.on('exit', () => live.delete(child));
  return {
    child,
    stdout: proc.stdout,
    stderr: proc.stderr,
    ready: (watches = 1) => waitFor(() => inotifyWatchCount(child.pid) >= watches, `${watches} watch(es) in dnotify`),
    /** Resolves with the exit, or kills the process and throws after the deadline. */
    finished: (timeoutMs = 8000) => proc.waitExit(timeoutMs),
    kill: (signal = 'SIGKILL') => {
      if (!proc.exited()) proc.kill(signal);
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
