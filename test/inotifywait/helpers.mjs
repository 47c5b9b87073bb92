// Helpers for the inotifywait tests: our CLI and the real one as child processes in temp dirs, readiness
// and idleness probes (from /proc, so they work for both, quiet or not), and condition waits with deadlines.
import fs from 'node:fs';
import { isRoot, makeTree, startTool, tempDir as sharedTempDir, toolPair, waitFor } from '../lib/cli.mjs';

/** `needUpstream` is for `test(..., { skip })`: comparisons need the real inotifywait (apt package inotify-tools). */
export const { ours: OURS, upstream: UPSTREAM, hasUpstream, needUpstream } = toolPair('inotifywait');
export { isRoot };
export const ESTABLISHED = 'Watches established.\n';

export function tempDir(t, prefix = 'ik-iwait-') {
  return sharedTempDir(t, prefix);
}

export { waitFor };

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

export { makeTree };

/**
 * Starts a tool in `cwd` as `inotifywait` (argv[0], so upstream's getopt messages say `inotifywait:`).
 * `stdout` may be 'pipe' (collected) or a file descriptor; stderr reads as latin1 (raw bytes).
 */
export function start(bin, args, options = {}) {
  return startTool(bin, args, { ...options, argv0: 'inotifywait', stderrEncoding: 'latin1' });
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
