// `node -e 0`, the platform's start-up floor, as a contestant of its own: interleaved with the watchers'
// start-up runs (A B C A B C …) so that the start-up targets ("≤ 1.15× node -e 0") compare figures of
// the same moments of the same run.
import { spawn } from 'node:child_process';
import { fmt } from './stats.mjs';

/** The floor as a Tool for interleave(). */
export const node0 = { side: 'node0', label: '`node -e 0`', short: '`node -e 0`', command: process.execPath, available: true, reason: '' };

// Reads its own peak RSS as its last act: `node -e 0`'s, plus one readFileSync.
const SELF_RSS = "process.stdout.write(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','latin1'))[1])";

/** Wall time of a command from spawn to exit, and its stdout. */
export function wallOf(cmd, args, { cwd, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], cwd, env });
    let out = '';
    child.stdout.setEncoding('latin1').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === 0) resolve({ ms, out });
      else reject(new Error(`${cmd} exited ${code}`));
    });
  });
}

/** One sample of the floor: { readyMs: wall of `node -e 0`, peakRssMb: peak RSS of the same start-up }. */
export async function measureNode0() {
  const { ms } = await wallOf(process.execPath, ['-e', '0']);
  const { out } = await wallOf(process.execPath, ['-e', SELF_RSS]);
  return { readyMs: ms, peakRssMb: Number(out) / 1024 };
}

/** Target: ours' median ≤ k × the floor's median + `plus()` (ms); the floor is read when the row is checked. */
export function floorTarget(k, floor, { plus = () => 0, plusText = '', unit = 'ms' } = {}) {
  return {
    text: `≤ ${k}× \`node -e 0\`${plusText}`,
    check: (r) => {
      if (!floor()) return null;
      const bound = k * floor().median + plus();
      if (!Number.isFinite(bound)) return null;
      return { met: r.ours.median <= bound, by: `${fmt(r.ours.median - bound)} ${unit} (bound ${fmt(bound)} ${unit})` };
    },
  };
}

/** Target: ours' median ≤ the floor's median + `extra` (e.g. peak RSS ≤ node -e 0's + 6 MB). */
export function floorPlusTarget(extra, floor, unit) {
  return {
    text: `≤ \`node -e 0\` + ${extra} ${unit}`,
    check: (r) => {
      if (!floor()) return null;
      const bound = floor().median + extra;
      return { met: r.ours.median <= bound, by: `${fmt(r.ours.median - bound)} ${unit} (bound ${fmt(bound)} ${unit})` };
    },
  };
}
