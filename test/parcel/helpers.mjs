// Shared by the parcel tests: temp trees, waiting for conditions with a deadline, a Watcher that collects
// what it sees, and the since-wait driver as a child process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Watcher, renderMask } from '../../packages/event-core/dist/index.js';
import { ParcelBackend } from '../../packages/event-core/dist/parcel/index.js';

export const DRIVER = fileURLToPath(new URL('./fixtures/since-wait.mjs', import.meta.url));

/** A fresh temp directory (real path, so parcel's paths and ours agree), removed after the test. */
export function tempDir(t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ik-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (content strings) and directories (null) under root; parents are created. */
export function makeTree(root, entries) {
  for (const [rel, content] of Object.entries(entries)) {
    const p = path.join(root, rel);
    if (content === null) fs.mkdirSync(p, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}

export async function waitFor(what, predicate, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `EVENTS %w%f` per event, as lines (paths as bytes, shown latin1). */
export function lines(events) {
  return events.map((e) => `${renderMask(e.mask)} ${e.watchPath}${e.name}`);
}

/**
 * A Watcher on a ParcelBackend over `paths`, collecting events. Resolves once the subscriptions exist.
 * `close()` is registered with the test.
 */
export async function watchParcel(t, paths, { mask = 0xfff, recursive = true, excludeDirs, backendOptions } = {}) {
  const backend = new ParcelBackend(backendOptions);
  const watcher = new Watcher({ mask, recursive, excludeDirs, backend }); // configures the backend's tree

  for (const p of paths) watcher.add(p);
  await backend.ready();
  const events = [];
  watcher.start({ batch: (batch) => void events.push(...batch) });
  t.after(() => watcher.close());
  return { watcher, backend, events, seen: (line) => lines(events).includes(line) };
}

/** Runs the driver to completion: { code, stdout lines, stderr }. */
export function runDriver(args, { timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DRIVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driver did not finish: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: stdout.split('\n').filter(Boolean), stderr });
    });
  });
}

/** Starts the driver and resolves once it printed `Watches established.`; returns the child and its output. */
export async function startDriver(t, args) {
  const child = spawn(process.execPath, [DRIVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('latin1').on('data', (d) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (out.stderr += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  t.after(() => child.kill('SIGKILL'));
  let ended = false;
  void exited.then(() => (ended = true));
  await waitFor('Watches established.', () => out.stderr.includes('Watches established.') || ended);
  if (!out.stderr.includes('Watches established.')) throw new Error(`driver failed: ${out.stderr}`);
  return { child, out, exited, lines: () => out.stdout.split('\n').filter(Boolean) };
}
