// The differential runner: one scenario, our inotifywait and the real one (3.22.6), side by side in two
// identical directories (cwd = each directory, so relative paths print the same), compared byte for byte.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { twinDirs } from '../lib/cli.mjs';
import { ESTABLISHED, OURS, UPSTREAM, processIdle, start, waitFor, watchCount } from './helpers.mjs';

/**
 * Runs both tools with `args` (an array, or a function of (dir, 'ours' | 'upstream')) once each scenario directory holds `tree` (see makeTree, or a function of
 * the directory). Waits until both are ready (`ready`: 'stderr' = "Watches established.", a number = that
 * many inotify watches, for -q runs; 'none'), applies `act(dir, run)` to each, then either waits for them
 * to exit (`end: 'exit'`) or, once both are idle with the same output (or `settleMs` has passed), sends `end`.
 * Compares stdout (after `normalise`, which only ever hides cookies and times), stderr, the exit status,
 * and any `files` (relative paths) each run wrote. `binOverride` runs a wrapper (unshare, setpriv) instead,
 * with `args(dir, name)` naming the tool.
 *
 * `sentinel` (see symlinkSentinel) ends a scenario on a condition: made in each directory after `act`, its
 * event comes after every event of the act (one inotify queue, in order), so once both outputs hold its
 * line nothing of the act is still to come, and `end` is sent. `sentinel: false`: nothing is awaited
 * (nothing is to be printed), `end` follows `act`. Without one, a heuristic: both asleep with the same
 * output for 250 ms. It is left only where no sentinel can come last: the lines of a tool's own walk of a
 * new directory (new-dirs.differential: made after it reads the CREATE, so after any sentinel made by
 * then) and a queue overflow (a full queue drops the sentinel's event).
 */
export async function compareWithUpstream(t, scenario) {
  const {
    tree = {}, args, act = () => {}, end = 'SIGTERM', ready = 'stderr', stdin, normalise = (s) => s, files = [],
    compare = true, env, binOverride, exitDeadlineMs = 15000, settleMs = 4000, sentinel,
  } = scenario;
  const tools = { ours: OURS, upstream: UPSTREAM };
  const dirs = twinDirs(t, tree, 'ik-iwait-');
  const runs = {};
  t.after(() => Object.values(runs).forEach((r) => r.exited() || r.kill('SIGKILL')));
  // Ours first, upstream once ours is ready: upstream starts in a millisecond, so both -t timers start
  // together however slowly Node starts on a busy machine.
  for (const [name, bin] of Object.entries(tools)) {
    const argv = typeof args === 'function' ? args(dirs[name], name) : args;
    runs[name] = start(binOverride ?? bin, argv, { cwd: dirs[name], stdin, env });
    await whenReady(runs[name], ready);
  }
  // Both at once: timing scenarios (-t) must not see one tool wait for the other's actions.
  await Promise.all(Object.keys(tools).map(async (name) => act(dirs[name], runs[name])));

  const text = (run) => normalise(run.stdout().toString('latin1'));
  if (end !== 'exit' && sentinel) {
    await Promise.all(Object.keys(tools).map(async (name) => {
      sentinel.make(dirs[name]);
      await sentinelSeen(runs[name], dirs[name], sentinel);
    }));
    for (const run of Object.values(runs)) if (!run.exited()) run.kill(end);
  } else if (end !== 'exit' && sentinel === false) {
    for (const run of Object.values(runs)) if (!run.exited()) run.kill(end);
  } else if (end !== 'exit') {
    // inotifywait has no way to say "all read"; wait until both sleep with the same output (or give up
    // after a while and let the comparison show the difference).
    // Both asleep with the same output must hold for a while: a tool blocked writing to a full pipe sleeps
    // too, and under load both can be caught so, mid-output, with equal text.
    const deadline = Date.now() + settleMs;
    let stableSince;
    let lastLength = -1;
    while (Date.now() < deadline) {
      const same = text(runs.ours) === text(runs.upstream);
      const length = text(runs.ours).length;
      if (same && length === lastLength && (await processIdle(runs.ours.pid)) && (await processIdle(runs.upstream.pid))) {
        stableSince ??= Date.now();
        if (Date.now() - stableSince >= 250) break;
      } else {
        stableSince = undefined;
      }
      lastLength = length;
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const run of Object.values(runs)) if (!run.exited()) run.kill(end);
  }
  // A run that does not end is a failure, not a hung suite.
  const killer = setTimeout(() => Object.values(runs).forEach((r) => r.exited() || r.kill('SIGKILL')), exitDeadlineMs);
  const [ours, upstream] = await Promise.all([runs.ours.result(), runs.upstream.result()]);
  clearTimeout(killer);
  if (compare) {
    assert.equal(normalise(ours.stdout.toString('latin1')), normalise(upstream.stdout.toString('latin1')), 'stdout, byte for byte');
    assert.equal(ours.stderr, upstream.stderr, 'stderr');
    assert.deepEqual({ code: ours.code, signal: ours.signal }, { code: upstream.code, signal: upstream.signal }, 'exit status');
    for (const f of files) {
      assert.equal(readOr(path.join(dirs.ours, f)), readOr(path.join(dirs.upstream, f)), `contents of ${f}`);
    }
  }
  if (process.env.IK_SHOW) console.error(JSON.stringify({ args: typeof args === 'function' ? args(dirs.ours, 'ours') : args, out: ours.stdout.toString('latin1'), err: ours.stderr, code: ours.code, signal: ours.signal }));
  return { ours, upstream, dirs };
}

/**
 * The sentinel of a scenario: a symbolic link `rel` (relative to the scenario directory), whose creation is
 * one CREATE event and nothing after it (no open, no close, no directory to watch), made after the act.
 * `text`: what its line holds (by default as inotifywait prints it: `dir/ CREATE name`); `file`: where it
 * is printed when not on stdout (-o).
 */
export function symlinkSentinel(rel, { text, file } = {}) {
  const slash = rel.lastIndexOf('/');
  return {
    make: (dir) => fs.symlinkSync('nowhere', path.join(dir, rel)),
    text: text ?? `${rel.slice(0, slash + 1)} CREATE ${rel.slice(slash + 1)}\n`,
    file,
  };
}

/**
 * For a scenario whose act ends with an event no other can follow (a watch's DELETE_SELF, a last ATTRIB)
 * or whose event set leaves no room for a symlink: the end is that line, read (`text`), in both outputs.
 */
export function lineSeen(text) {
  return { make: () => {}, text };
}

/** Resolves once `run` has printed the sentinel's line (on stdout, or in its `file`); fails after 15 s. */
function sentinelSeen(run, dir, { text, file }) {
  if (!file) return run.waitStdout(text, 15000);
  return waitFor(() => readOr(path.join(dir, file)).includes(text), () => `${JSON.stringify(text)} in ${file} of ${run.bin}; got ${JSON.stringify(readOr(path.join(dir, file)))}`, 15000);
}

function whenReady(run, ready) {
  if (ready === 'none') return undefined;
  if (ready === 'stderr') return run.waitStderr(ESTABLISHED, 30000);
  return waitFor(() => watchCount(run.pid) >= ready, `${ready} watches in ${run.bin}`, 30000);
}

function readOr(p) {
  try {
    return fs.readFileSync(p, 'latin1');
  } catch (err) {
    return `<${err.code}>`;
  }
}

/** Option-error style runs: both run to completion in identical dirs; everything is compared. */
export async function compareExit(t, args, { tree = { d: null }, stdin, env } = {}) {
  return compareWithUpstream(t, { tree, args, end: 'exit', ready: 'none', stdin, env });
}

/**
 * Hides cookie values in `%c` output while keeping which lines share a cookie: each distinct cookie is
 * renamed to its order of first appearance. `pick` is a regex with one group around the cookie.
 */
export function normaliseCookies(pick) {
  return (s) => {
    const seen = new Map();
    return s.replace(pick, (m, cookie) => {
      if (cookie === '0') return m;
      if (!seen.has(cookie)) seen.set(cookie, `C${seen.size + 1}`);
      return m.replace(cookie, seen.get(cookie));
    });
  };
}

/**
 * Kernel coalescing: inotify merges an event identical to the unread tail of its queue, so how many
 * identical consecutive lines appear depends on how fast the reader was. Scenarios that cannot avoid
 * such repeats compare with runs of identical lines collapsed to one.
 */
export function collapseRepeats(s) {
  return s.split('\n').filter((line, i, all) => i === 0 || line !== all[i - 1]).join('\n');
}
