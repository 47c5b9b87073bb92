// Readings of another process from /proc: CPU time, memory, context switches, inotify watches.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

let clkTck = 0;
/** Clock ticks per second for utime/stime (sysconf(_SC_CLK_TCK)); 100 on every mainstream Linux build. */
export function clockTicksPerSecond() {
  if (clkTck) return clkTck;
  try {
    clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clkTck = 100;
  }
  return clkTck;
}

/** Sum of the on-CPU time of every thread (schedstat, ns precision), in ms; NaN where schedstat is missing. */
function runTimeMs(pid) {
  let total = 0;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
    }
  } catch {
    return NaN;
  }
  return total / 1e6;
}

/**
 * CPU time of the whole thread group, in ms: user and system from /proc/<pid>/stat (the leader's line sums
 * all threads; clock ticks, so 10 ms steps) and `runMs`, the same total at ns precision from schedstat.
 * Returns null once the process is gone.
 */
export function cpuTime(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = 1000 / clockTicksPerSecond();
  const userMs = Number(fields[11]) * tick;
  const sysMs = Number(fields[12]) * tick;
  return { state: fields[0], userMs, sysMs, totalMs: userMs + sysMs, runMs: runTimeMs(pid) };
}

/**
 * Subtracts two cpuTime readings. The total is the precise one when it is usable (a thread that exited in
 * between takes its schedstat time with it, which shows as a total below the tick count); user and system
 * are the tick-based split scaled to that total.
 */
export function cpuDelta(before, after) {
  const userMs = after.userMs - before.userMs;
  const sysMs = after.sysMs - before.sysMs;
  const ticks = userMs + sysMs;
  const run = after.runMs - before.runMs;
  const tick = 1000 / clockTicksPerSecond();
  const precise = Number.isFinite(run) && run >= 0 && run >= ticks - 2 * tick;
  const totalMs = precise ? run : ticks;
  const share = ticks > 0 ? userMs / ticks : 0.5;
  return { userMs: totalMs * share, sysMs: totalMs * (1 - share), totalMs };
}

function statusFields(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const out = new Map();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** Current and peak resident set size in MB, and the leader's voluntary context switches (≈ blocking waits). */
export function memory(pid) {
  const f = statusFields(pid);
  if (!f) return null;
  return {
    rssMb: (f.get('VmRSS') ?? NaN) / 1024,
    peakRssMb: (f.get('VmHWM') ?? NaN) / 1024,
    voluntarySwitches: f.get('voluntary_ctxt_switches') ?? NaN,
  };
}

/**
 * Number of kernel watches held by the process, summed over its inotify descriptors, and the inode marks
 * of its fanotify descriptors (fsnotifywait without -S: one per directory, like a watch).
 */
export function inotifyWatchCount(pid) {
  const n = kernelObjects(pid);
  return n && n.watches + n.inodeMarks;
}

/**
 * The kernel objects a watcher holds, by kind, from /proc/<pid>/fdinfo: inotify watches, and fanotify
 * inode, mount and filesystem marks (`fanotify ino:`, `fanotify mnt_id:`, `fanotify sdev:` lines).
 */
export function kernelObjects(pid) {
  let fds;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return null;
  }
  const n = { watches: 0, inodeMarks: 0, mountMarks: 0, filesystemMarks: 0 };
  for (const fd of fds) {
    let text;
    try {
      text = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line.startsWith('inotify wd:')) n.watches++;
      else if (line.startsWith('fanotify ino:')) n.inodeMarks++;
      else if (line.startsWith('fanotify mnt_id:')) n.mountMarks++;
      else if (line.startsWith('fanotify sdev:')) n.filesystemMarks++;
    }
  }
  n.total = n.watches + n.inodeMarks + n.mountMarks + n.filesystemMarks;
  return n;
}
