// Shared by the parcel tests: temp trees, waiting for conditions with a deadline, a Watcher that collects
// what it sees, and the since-wait driver as a child process.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeTree, startTool, tempDir as sharedTempDir, waitFor as sharedWaitFor } from '../../../lib/cli.mjs';
import { Watcher, renderMask } from '@inotifykit/event-core';
import { ParcelBackend } from '@inotifykit/event-core/since';

export const DRIVER = fileURLToPath(new URL('./fixtures/since-wait.mjs', import.meta.url));

/** A fresh temp directory (real path, so parcel's paths and ours agree), removed after the test. */
export function tempDir(t) {
  return fs.realpathSync(sharedTempDir(t, 'ik-'));
}

/** Writes files (content strings) and directories (null) under root; parents are created. */
export { makeTree };

/** The shared waitFor with `what` first (as these tests call it) and a 5 s deadline. */
export function waitFor(what, predicate, timeoutMs = 5000) {
  return sharedWaitFor(predicate, what, timeoutMs);
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
  const seen = (line) => lines(events).includes(line);
  let sentinels = 0;
  /**
   * Waits until everything done so far has been reported: a sentinel file created in `dir` after it
   * arrives after it (or in the same batch). Returns the events without the sentinel's.
   */
  const settle = async (dir) => {
    const name = `zz-sentinel-${++sentinels}`;
    fs.writeFileSync(`${dir}/${name}`, '');
    await waitFor(name, () => seen(`CREATE ${dir}/${name}`));
    return events.filter((e) => !e.name.includes('zz-sentinel-'));
  };
  return { watcher, backend, events, seen, settle };
}

/** The driver as a child process; stdout reads as latin1 (paths are bytes). */
function spawnDriver(args) {
  const run = startTool(process.execPath, [DRIVER, ...args]);
  return { run, stdout: () => run.stdout().toString('latin1') };
}

const outputLines = (stdout) => stdout.split('\n').filter(Boolean);

/** Runs the driver to completion: { code, stdout lines, stderr }. */
export async function runDriver(args, { timeoutMs = 15000 } = {}) {
  const { run, stdout } = spawnDriver(args);
  const { code, stderr } = await run.result(timeoutMs);
  return { code, lines: outputLines(stdout()), stderr };
}

/** Starts the driver and resolves once it printed `Watches established.`; returns the child and its output. */
export async function startDriver(t, args) {
  const { run, stdout } = spawnDriver(args);
  const { child } = run;
  const out = {
    get stdout() {
      return stdout();
    },
    get stderr() {
      return run.stderr();
    },
  };
  const exited = run.result().then(({ code, signal }) => ({ code, signal }));
  t.after(() => child.kill('SIGKILL'));
  let ended = false; // once its output is complete, not merely once it exited
  void exited.then(() => (ended = true));
  await waitFor('Watches established.', () => out.stderr.includes('Watches established.') || ended);
  if (!out.stderr.includes('Watches established.')) throw new Error(`driver failed: ${out.stderr}`);
  return { child, out, exited, lines: () => outputLines(out.stdout) };
}
