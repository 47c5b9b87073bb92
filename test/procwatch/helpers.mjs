// Shared fixtures for the procwatch tests: uniquely named child processes, the real CLI as a child
// process, pgrep/pidof for comparison, and waiting for conditions with a deadline.
import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const BIN = path.join(ROOT, 'bin/procwatch');
const SLEEP = fs.existsSync('/bin/sleep') ? '/bin/sleep' : '/usr/bin/sleep';
const FALSE = fs.existsSync('/bin/false') ? '/bin/false' : '/usr/bin/false';

/** True when a command is on PATH (pgrep, pidof). */
export function have(cmd) {
  return (process.env.PATH ?? '').split(':').some((d) => d && fs.existsSync(path.join(d, cmd)));
}

/** A unique process name, 15 bytes at most so it is also the whole `comm`. */
export function uniqueName(tag = '') {
  return `ikpw${tag}-${crypto.randomBytes(3).toString('hex')}`.slice(0, 15);
}

/**
 * A temp dir (world-readable, so another user can run what is in it) with copies of sleep and false named
 * after `name`. Every child started through it is killed and the dir removed by cleanup().
 */
export function fixture(t, name = uniqueName()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-'));
  fs.chmodSync(dir, 0o755);
  const sleeper = path.join(dir, name);
  fs.copyFileSync(SLEEP, sleeper);
  fs.chmodSync(sleeper, 0o755);
  const children = new Set();
  const fx = {
    dir,
    name,
    sleeper,
    /** A copy of false(1) named `crashName`. */
    crasher(crashName) {
      const p = path.join(dir, crashName);
      fs.copyFileSync(FALSE, p);
      fs.chmodSync(p, 0o755);
      return p;
    },
    /** Start the named sleep; resolves once the exec is done (so /proc shows the new name). */
    async start(seconds = 30, options = {}) {
      const child = spawn(sleeper, [String(seconds), ...(options.args ?? [])], {
        stdio: 'ignore',
        uid: options.uid,
        gid: options.gid,
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      await new Promise((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      await waitFor(() => commOf(child.pid) === name.slice(0, 15), `child ${child.pid} shows its name`);
      return child;
    },
    /** Track a PID started by someone else (procwatch --ensure) so cleanup kills it. */
    adopt(pid) {
      children.add({ pid, kill: (sig) => { try { process.kill(pid, sig); } catch { /* gone */ } } });
    },
  };
  t.after(() => {
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return fx;
}

/** The kernel name of a process, or undefined when it is gone. */
export function commOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie. */
export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Run a command to completion: { code, stdout: Buffer, stderr: string }. */
export function run(file, args, options = {}) {
  return new Promise((resolve) => {
    const opts = { encoding: 'buffer', timeout: options.timeout ?? 10_000, maxBuffer: 64 << 20, env: options.env };
    execFile(file, args, opts, (err, stdout, stderr) => {
      // A number is the exit status; anything else (killed, timed out, output too big) is said as such.
      const code = err ? (typeof err.code === 'number' ? err.code : `${err.code ?? err.signal ?? err.message}`) : 0;
      resolve({ code, stdout, stderr: stderr.toString('utf8') });
    });
  });
}

/** Run the procwatch CLI to completion. */
export function procwatch(args, options) {
  return run(process.execPath, [BIN, ...args], options);
}

/**
 * Start the procwatch CLI and keep it running: lines of stdout and stderr are collected, `waitOut` /
 * `waitErr` wait for a line matching a RegExp, `exited` resolves with the exit code.
 */
export function startProcwatch(t, args, options = {}) {
  // `prefix`: a command that runs procwatch (setpriv, unshare), as [file, ...its args]; `env`: added to the environment.
  const [file, ...pre] = [...(options.prefix ?? []), process.execPath, BIN, ...args];
  const child = spawn(file, pre, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ? { ...process.env, ...options.env } : undefined });
  const out = [];
  const err = [];
  const waiters = [];
  const feed = (stream, lines) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      for (const w of [...waiters]) w();
    });
  };
  feed(child.stdout, out);
  feed(child.stderr, err);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 128)));
  const waitIn = (lines, re, what, ms = 5000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const line = lines.find((l) => re.test(l));
        if (line === undefined) return false;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(line);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1);
        reject(new Error(`timed out waiting for ${what} ${re}; stdout: ${JSON.stringify(out)} stderr: ${JSON.stringify(err)}`));
      }, ms);
      waiters.push(check);
      check();
    });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    out,
    err,
    exited,
    waitOut: (re, ms) => waitIn(out, re, 'stdout', ms),
    waitErr: (re, ms) => waitIn(err, re, 'stderr', ms),
    /** stderr without the line about unidentified execs: other tests' short-lived processes may cause it. */
    errBesidesUnidentified: () => err.filter((l) => !UNIDENTIFIED.test(l)),
  };
}

/** procwatch's line about execs gone before /proc/PID could be read (any exec on the machine can be one). */
export const UNIDENTIFIED = /^procwatch: unidentified execs: \d+ \(/;

/** Poll a condition every 10 ms until it holds; fail after `ms`. */
export async function waitFor(cond, what, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
