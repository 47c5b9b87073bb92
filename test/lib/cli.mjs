// The pieces every CLI test suite needs: temp dirs, condition waits with deadlines, and a tool run as a
// child process with its output collected (ours or inotify-tools', side by side).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const isRoot = process.getuid?.() === 0;

/** Our launcher for `tool` in bin/. */
export function binPath(tool) {
  return path.join(repoRoot, 'bin', tool);
}

/**
 * Our `tool` and inotify-tools' one side by side: `needUpstream` is a `test(..., { skip })` reason when
 * the real one is missing (false when it is there).
 */
export function toolPair(tool) {
  const upstream = `/usr/bin/${tool}`;
  const hasUpstream = fs.existsSync(upstream);
  return { ours: binPath(tool), upstream, hasUpstream, needUpstream: !hasUpstream && `needs ${upstream} (apt install inotify-tools)` };
}

/** A fresh temp dir and the function that removes it (for before/after hooks, which have no test context). */
export function newTempDir(prefix = 'ik-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh temp dir, removed after the test. */
export function tempDir(t, prefix = 'ik-') {
  const { dir, cleanup } = newTempDir(prefix);
  t.after(cleanup);
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
    const value = await predicate(); // a predicate may be async (processIdle): its promise is not the answer
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Starts `bin` in `cwd` with `argv0` (so upstream's getopt messages name the tool as scripts call it).
 * `stdin` is written and closed; with `openStdin` it is a pipe left open for the test (`child.stdin`),
 * otherwise /dev/null. `stdout` may be 'pipe' (collected) or a file descriptor; stderr is collected and
 * read as `stderrEncoding`.
 */
export function startTool(bin, args, { cwd, stdin, openStdin = false, stdout = 'pipe', env, argv0, stderrEncoding = 'utf8', killSignal = 'SIGTERM' } = {}) {
  const child = spawn(bin, args, {
    cwd,
    argv0,
    env: env ?? process.env,
    stdio: [stdin === undefined && !openStdin ? 'ignore' : 'pipe', stdout, 'pipe'],
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  const out = [];
  const err = [];
  child.stdout?.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  // 'close' comes once the output pipes are closed too; 'exit' as soon as the process is gone.
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const gone = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  /** `promise`, or after `timeoutMs` (if given) a SIGKILL and a rejection: a hang fails the test instead of stalling it. */
  const within = (promise, timeoutMs, what) => {
    if (timeoutMs === undefined) return promise;
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${bin} did not ${what} in ${timeoutMs} ms; stderr: ${run.stderr()}`));
      }, timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  const run = {
    child,
    bin,
    pid: child.pid,
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err).toString(stderrEncoding),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    /** Resolves once stderr holds `text`; rejects when stderr ends without it, or after `timeoutMs` (10 s). */
    waitStderr: (text, timeoutMs) => whenHolds(child.stderr, () => run.stderr(), text, `stderr of ${bin}`, timeoutMs),
    /** Resolves once stdout holds `text` (latin1); rejects when stdout ends without it, or after `timeoutMs` (10 s). */
    waitStdout: (text, timeoutMs) => whenHolds(child.stdout, () => run.stdout().toString('latin1'), text, `stdout of ${bin}`, timeoutMs),
    /**
     * Resolves with { code, signal, stdout (Buffer), stderr (string) } once the process has exited and its
     * output is complete; with `timeoutMs`, kills it and rejects after that.
     */
    async result(timeoutMs) {
      const { code, signal } = await within(exited, timeoutMs, 'finish');
      return { code, signal, stdout: run.stdout(), stderr: run.stderr() };
    },
    /**
     * Resolves with { code, signal } as soon as the process is gone, while processes it left behind (its
     * commands, a detached copy) may still hold its output pipes; with `timeoutMs`, kills it and rejects after that.
     */
    waitExit: (timeoutMs) => within(gone, timeoutMs, 'exit'),
    kill: (signal = killSignal) => child.kill(signal),
  };
  return run;
}

/**
 * Resolves once `read()` (the text `stream` has given so far) holds `text`, checked at each chunk as it
 * arrives, not polled; rejects as soon as the stream ends without it (the tool exited: no use waiting out
 * the deadline), or after `timeoutMs`.
 */
function whenHolds(stream, read, text, what, timeoutMs = 10000) {
  const failure = (why) => new Error(`${why} waiting for ${JSON.stringify(text)} on ${what}; got ${JSON.stringify(read())}`);
  return new Promise((resolve, reject) => {
    if (read().includes(text)) return resolve(true);
    if (!stream || stream.readableEnded || stream.destroyed) return reject(failure('ended'));
    const done = (err) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve(true);
    };
    // After the collector's own 'data' listener (added first), so read() already holds the chunk.
    const onData = () => read().includes(text) && done();
    const onClose = () => done(read().includes(text) ? undefined : failure('the stream ended'));
    const timer = setTimeout(() => done(failure(`timed out (${timeoutMs} ms)`)), timeoutMs);
    stream.on('data', onData);
    stream.on('close', onClose);
  });
}

/**
 * A bash script (plain ASCII) in `dir` that runs `bin` with `args` given as byte strings (one char per
 * byte, latin1), so that any byte but NUL reaches the tool as it is: spawn() would send strings as UTF-8.
 * Run it as `startTool('/bin/bash', [script], …)`. `argv0` names the tool (`exec -a`).
 */
export function byteArgvScript(dir, bin, args, argv0) {
  const quote = (s) => `$'${[...s].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}'`;
  const script = path.join(dir, `run-${process.hrtime.bigint()}.sh`);
  fs.writeFileSync(script, `exec ${argv0 ? `-a ${argv0} ` : ''}${quote(bin)} ${args.map(quote).join(' ')}\n`);
  return script;
}

/** A fault's report: exactly one line on stderr, matching `pattern`, and no stack frame. */
export function assertOneLine(assert, stderr, pattern, what = 'stderr') {
  assert.doesNotMatch(stderr, /^\s+at /m, `${what}: no stack trace`);
  assert.equal(stderr.split('\n').filter(Boolean).length, 1, `${what}: one line, got ${JSON.stringify(stderr)}`);
  assert.match(stderr.replace(/\n$/, ""), pattern, what);
}
