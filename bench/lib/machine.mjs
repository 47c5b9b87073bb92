// A description of the machine and its state, printed next to the figures.
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { readLimit } from './inotify-sysctl.mjs';

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function cpuCounters() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  return { busy: v.reduce((a, b) => a + b, 0) - idle, total: v.reduce((a, b) => a + b, 0) };
}

/** System-wide CPU busy share over `ms` (other engineers' work shows here when nothing of ours runs). */
export async function backgroundLoad(ms = 1000) {
  const a = cpuCounters();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuCounters();
  return (100 * (b.busy - a.busy)) / Math.max(1, b.total - a.total);
}

export function describeMachine() {
  return {
    cpus: os.availableParallelism(),
    model: cpuModel(),
    kernel: `${os.release()}`,
    node: process.version,
    memoryGb: os.totalmem() / 2 ** 30,
    maxQueuedEvents: readLimit('max_queued_events'),
    maxUserWatches: readLimit('max_user_watches'),
  };
}

/** The commit of ours that was measured, and whether the working tree had uncommitted changes. */
export function describeCheckout(repoRoot) {
  try {
    const git = (...args) => execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'packages', 'bin') !== '';
    return `${sha}${dirty ? ' with uncommitted changes in packages/ or bin/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
