// The pieces every CLI test suite needs: temp dirs, condition waits with deadlines, and a tool run as a
// child process with its output collected (ours or inotify-tools', side by side).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

/** A fresh temp dir, removed after the test. */
export function tempDir(t, prefix = 'ik-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

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
 * Two identical scenario directories, `ours` and `upstream`, under one temp dir, for running our tool and
 * inotify-tools' side by side on the same relative paths. `tree` is a makeTree spec or a function of the dir.
 */
export function twinDirs(t, tree, prefix) {
  const base = tempDir(t, prefix);
  const dirs = {};
  for (const name of ['ours', 'upstream']) {
    dirs[name] = path.join(base, name);
    fs.mkdirSync(dirs[name]);
    if (typeof tree === 'function') tree(dirs[name]);
    else makeTree(dirs[name], tree);
  }
  return dirs;
}

/** Polls until `predicate()` is truthy; throws naming `what` (a string or a function giving one) after the deadline. */
export async function waitFor(predicate, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Starts `bin` in `cwd` with `argv0` (so upstream's getopt messages name the tool as scripts call it).
 * `stdout` may be 'pipe' (collected) or a file descriptor; stderr is collected and read as `stderrEncoding`.
 */
export function startTool(bin, args, { cwd, stdin, stdout = 'pipe', env, argv0, stderrEncoding = 'utf8', killSignal = 'SIGTERM' } = {}) {
  const child = spawn(bin, args, {
    cwd,
    argv0,
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
    stderr: () => Buffer.concat(err).toString(stderrEncoding),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    /** Resolves once stderr holds `text`. */
    waitStderr: (text, timeoutMs) =>
      waitFor(() => run.stderr().includes(text), () => `${JSON.stringify(text)} on stderr of ${bin}; got ${JSON.stringify(run.stderr())}`, timeoutMs),
    /** Resolves once stdout holds `text` (latin1). */
    waitStdout: (text, timeoutMs) =>
      waitFor(() => run.stdout().toString('latin1').includes(text), () => `${JSON.stringify(text)} on stdout of ${bin}; got ${JSON.stringify(run.stdout().toString('latin1'))}`, timeoutMs),
    /** Resolves with { code, signal, stdout (Buffer), stderr (string) } once the process has exited. */
    async result() {
      const { code, signal } = await exited;
      return { code, signal, stdout: run.stdout(), stderr: run.stderr() };
    },
    kill: (signal = killSignal) => child.kill(signal),
  };
  return run;
}
