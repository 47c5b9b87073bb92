// Helpers for the inotifywatch tests: our CLI and the real one as child processes, temp dirs, waits.
import fs from 'node:fs';
import { isRoot, makeTree, startTool, tempDir as sharedTempDir, toolPair, waitFor } from '../lib/cli.mjs';

/** `needUpstream` is for `test(..., { skip })`: the differential tests need the real inotifywatch (apt inotify-tools). */
export const { ours: OURS, upstream: UPSTREAM, hasUpstream, needUpstream } = toolPair('inotifywatch');
export { isRoot };

export const READY = 'Finished establishing watches, now collecting statistics.\n';

export function tempDir(t) {
  return sharedTempDir(t, 'ik-iw-');
}

export { waitFor };

/**
 * Starts a tool (ours or upstream's) in `cwd`, as `inotifywatch` (argv[0], so getopt messages match).
 * Collects stdout/stderr; `kill()` sends SIGINT, which makes both print their table.
 */
export function start(bin, args, { cwd, stdin } = {}) {
  const run = startTool(bin, args, { cwd, stdin, argv0: 'inotifywatch', killSignal: 'SIGINT' });
  run.isUpstream = bin === UPSTREAM;
  run.ready = (timeoutMs) => run.waitStderr(READY, timeoutMs);
  return run;
}

/** Runs a tool to completion (for option errors and `-t` runs). */
export function runToEnd(bin, args, options) {
  return start(bin, args, options).result();
}

/**
 * True once upstream's inotifywatch sleeps in select() with nothing left to read: a queued event would
 * have woken it (the task turns runnable as the event is queued), so everything before now is counted.
 */
export function upstreamIdle(pid) {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    const wchan = fs.readFileSync(`/proc/${pid}/wchan`, 'utf8');
    return state === 'S' && /select|poll/.test(wchan);
  } catch {
    return false;
  }
}

/** True once process `pid` has no signal pending (its handlers have run). */
export function noSignalPending(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return /^SigPnd:\s*0+$/m.test(status) && /^ShdPnd:\s*0+$/m.test(status);
  } catch {
    return false;
  }
}

/**
 * Sends SIGUSR1 and waits until the print is done: ours shows it on stdout (an empty line ends it);
 * upstream buffers a pipe, so there it is "signal handled and back asleep in select()".
 */
export async function snapshotNow(run) {
  const before = run.stdout().length;
  run.kill('SIGUSR1');
  if (run.isUpstream) {
    await waitFor(() => noSignalPending(run.pid) && upstreamIdle(run.pid), 'upstream to handle SIGUSR1');
  } else {
    await waitFor(() => run.stdout().subarray(before).includes('\n'), 'our SIGUSR1 print');
  }
}

export { makeTree };

/** Inode numbers a process watches through inotify (from /proc/<pid>/fdinfo), as BigInts. */
export function watchedInodes(pid) {
  const inodes = new Set();
  let fds;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:inotify') continue;
      const info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      for (const m of info.matchAll(/^inotify wd:\S+ ino:([0-9a-f]+)/gm)) inodes.add(BigInt(`0x${m[1]}`));
    } catch {
      // gone meanwhile
    }
  }
  return inodes;
}

/** Resolves once process `pid` has an inotify watch on `p`. */
export function waitWatched(pid, p) {
  const ino = fs.statSync(p, { bigint: true }).ino;
  return waitFor(() => watchedInodes(pid).has(ino), `a watch on ${p} in process ${pid}`);
}
