// Shared test helpers for event-core: a real Watcher in a temp dir, and condition waits with deadlines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Watcher, IN_ALL_EVENTS, renderMask } from '@inotifykit/event-core';

export function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-core-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `predicate` until true or the deadline passes (then throws with `what`). */
export async function waitFor(predicate, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Starts a watcher on `paths` (byte strings) and collects every event it delivers. */
export function collect(paths, options = {}) {
  const watcher = new Watcher({ mask: IN_ALL_EVENTS, ...options });
  for (const p of paths) watcher.add(p);
  const events = [];
  const warnings = [];
  watcher.start({ batch: (evs) => void events.push(...evs), warning: (w) => warnings.push(w) });
  const lines = () => events.map((e) => `${e.watchPath} ${renderMask(e.mask)} ${e.name}`);
  return { watcher, events, warnings, lines };
}

/** Waits until a line (as `%w %e %f`) has been seen. */
export function waitLine(c, line, timeoutMs) {
  return waitFor(() => c.lines().includes(line), `event line ${JSON.stringify(line)}; got ${JSON.stringify(c.lines())}`, timeoutMs);
}

export function readSysctl(name) {
  return fs.readFileSync(`/proc/sys/fs/inotify/${name}`, 'utf8').trim();
}

export function writeSysctl(name, value) {
  fs.writeFileSync(`/proc/sys/fs/inotify/${name}`, String(value));
}

export const isRoot = process.getuid?.() === 0;
