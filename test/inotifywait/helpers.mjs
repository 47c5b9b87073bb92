// Helpers for the inotifywait tests: our CLI and the real one as child processes in temp dirs, readiness
// and idleness probes (from /proc, so they work for both, quiet or not), and condition waits with deadlines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const OURS = path.resolve(here, '../../bin/inotifywait');
export const UPSTREAM = '/usr/bin/inotifywait';
export const hasUpstream = fs.existsSync(UPSTREAM);
/** For `test(..., { skip })`: comparisons need the real inotifywait (apt package inotify-tools). */
export const needUpstream = !hasUpstream && 'needs /usr/bin/inotifywait (apt install inotify-tools)';
export const isRoot = process.getuid?.() === 0;
export const ESTABLISHED = 'Watches established.\n';

export function tempDir(t, prefix = 'ik-iwait-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls until `predicate()` is truthy; throws naming `what` after the deadline. */
export async function waitFor(predicate, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await sleepTick();
  }
}

/** Like waitFor, but gives up quietly (returns false): for "wait until settled, then compare". */
export async function settle(predicate, timeoutMs = 4000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleepTick();
  }
  return true;
}

const sleepTick = () => new Promise((r) => setTimeout(r, 5));

/** Creates a tree: `spec` maps relative paths to file contents (strings/Buffers) or null for directories. */
export function makeTree(root, spec) {
  for (const [rel, content] of Object.entries(spec)) {
    const p = path.join(root, rel);
    if (content === null) fs.mkdirSync(p, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}

/**
 * Starts a tool in `cwd` as `inotifywait` (argv[0], so upstream's getopt messages say `inotifywait:`).
 * `stdout` may be 'pipe' (collected) or a file descriptor.
 */
export function start(bin, args, { cwd, stdin, stdout = 'pipe', env } = {}) {
  const child = spawn(bin, args, {
    cwd,
    argv0: 'inotifywait',
    env: env ?? process.env,
    stdio: [stdin === undefined ? 'ignore' : 'pipe', stdout, 'pipe'],
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  const out = [];
  const err = [];
  child.stdout?.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const run = {
    child,
    bin,
    pid: child.pid,
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err).toString('latin1'),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    /** Resolves once stderr holds `text`. */
    waitStderr: (text, timeoutMs) =>
      waitFor(() => run.stderr().includes(text), () => `${JSON.stringify(text)} on stderr of ${bin}; got ${JSON.stringify(run.stderr())}`, timeoutMs),
    /** Resolves once stdout holds `text` (latin1). */
    waitStdout: (text, timeoutMs) =>
      waitFor(() => run.stdout().toString('latin1').includes(text), () => `${JSON.stringify(text)} on stdout of ${bin}; got ${JSON.stringify(run.stdout().toString('latin1'))}`, timeoutMs),
    /** Resolves with { code, signal, stdout (Buffer), stderr (latin1 string) } once the process has exited. */
    async result() {
      const { code, signal } = await exited;
      return { code, signal, stdout: run.stdout(), stderr: run.stderr() };
    },
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
  return run;
}

export function runToEnd(bin, args, options) {
  return start(bin, args, options).result();
}

import { inotifyWatchCount as watchCount } from '../lib/proc.mjs';

export { watchCount };

function taskStates(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
      return stat.replace(/^.*\) /s, '')[0];
    });
  } catch {
    return ['X'];
  }
}

/** Every thread of `pid` asleep (S): nothing queued is being processed. Sampled twice to step over hand-offs. */
export async function processIdle(pid) {
  const asleep = () => taskStates(pid).every((s) => s === 'S');
  if (!asleep()) return false;
  await new Promise((r) => setTimeout(r, 15));
  return asleep();
}
