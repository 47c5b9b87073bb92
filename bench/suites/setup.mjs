// Issue item 4: time and peak RSS until "Watches established." for trees of directories (and for one
// empty directory, the start-up floor, next to `node -e 0` and the cost of importing our big dependencies).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { absoluteTarget, fixedRow, interleave, ratioTarget, row } from '../lib/interleave.mjs';
import { log } from '../lib/log.mjs';
import { inotifyWatchCount } from '../lib/proc-stats.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { repoRoot } from '../lib/tools.mjs';
import { READY, ToolFailure, WatcherProcess } from '../lib/watcher-process.mjs';

export const id = 'setup';
export const title = 'Start-up and set-up';

const FANOUT = 10;

/** Creates `n` directories under `root` as a tree with FANOUT children per directory (parents first). */
export function buildTree(root, n) {
  const paths = [root];
  for (let i = 1; i <= n; i++) {
    const p = path.join(paths[Math.floor((i - 1) / FANOUT)], `d${i}`);
    fs.mkdirSync(p);
    paths.push(p);
  }
}

async function timeToReady(tool, args, expectWatches) {
  const w = new WatcherProcess({ command: tool.command, args, readyText: READY.inotifywait });
  try {
    const ms = await w.waitReady(120000);
    const watches = inotifyWatchCount(w.pid);
    if (expectWatches !== undefined && watches !== expectWatches) {
      throw new ToolFailure(`established ${watches} watches, expected ${expectWatches}`);
    }
    return { readyMs: ms, peakRssMb: w.memAtReady?.peakRssMb ?? NaN, watches };
  } finally {
    await w.stop('SIGKILL');
  }
}

/** Wall time of a command from spawn to exit (for the Node start-up floor). */
function wallOf(cmd, args, cwd, env = process.env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: 'ignore', cwd, env });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`exit ${code}`))));
  });
}

export async function run(ctx) {
  const { tools, scratch, sizes, reps, strippedEnv } = ctx;
  const rows = [];
  const commands = [];

  // Floor: one empty directory.
  const empty = scratch.dir('empty');
  for (const t of tools.wait) if (t.available) await timeToReady(t, ['-m', empty]).catch(() => {}); // warm-up, not counted
  log(`setup: empty directory, ${reps.cheap} reps`);
  const floor = await interleave({ tools: tools.wait, reps: reps.cheap, what: 'empty dir', run: (t) => timeToReady(t, ['-m', empty], 1) });
  rows.push(
    row({ label: 'Ready on an empty directory (wall)', unit: 'ms', results: floor, pick: (s) => s.readyMs, target: absoluteTarget(80, 'ms') }),
    row({ label: '↳ peak RSS', unit: 'MB', results: floor, pick: (s) => s.peakRssMb }),
  );
  const node = [];
  const yargs = [];
  const koffi = [];
  const withEnv = [];
  const stripped = Object.keys(strippedEnv ?? {});
  for (let i = 0; i < reps.cheap; i++) {
    if (stripped.length) withEnv.push(await wallOf(process.execPath, ['-e', '0'], undefined, { ...process.env, ...strippedEnv }));
    node.push(await wallOf(process.execPath, ['-e', '0']));
    yargs.push(await wallOf(process.execPath, ['--input-type=module', '-e', "import 'yargs'"], repoRoot));
    koffi.push(await wallOf(process.execPath, ['--input-type=module', '-e', "import 'koffi'"], repoRoot));
  }
  const reference = (label, xs, note) => fixedRow({ label, unit: 'ms', ours: summarize(xs), note, theirsAbsent: '—' });
  rows.push(
    reference('↳ reference: `node -e 0` (wall)', node, 'Node start-up alone'),
    reference("↳ reference: node importing 'yargs' (wall)", yargs, 'dependency cost, for the start-up budget'),
    reference("↳ reference: node importing 'koffi' (wall)", koffi, 'dependency cost, for the start-up budget'),
  );
  if (stripped.length) rows.push(reference(`↳ reference: \`node -e 0\` with this machine's ${stripped.join(', ')}`, withEnv, 'not used for the other rows'));
  commands.push('inotifywait -m $EMPTY     # time from spawn to "Watches established." on stderr; peak RSS = VmHWM at that moment');
  commands.push("node -e 0; node --input-type=module -e \"import 'yargs'\"; node --input-type=module -e \"import 'koffi'\"     # spawn → exit");

  const bySize = new Map();
  for (const n of sizes.trees) {
    const root = scratch.dir(`tree${n}`);
    buildTree(root, n);
    log(`setup: tree of ${n} directories, ${reps.cheap} reps`);
    const res = await interleave({
      tools: tools.wait,
      reps: reps.cheap,
      what: `tree ${n}`,
      run: (t) => timeToReady(t, ['-m', '-r', root], n + 1),
    });
    bySize.set(n, res);
    const biggest = n === Math.max(...sizes.trees);
    rows.push(
      row({
        label: `Set-up, tree of ${fmt(n)} directories: time to established`,
        unit: 'ms',
        results: res,
        pick: (s) => s.readyMs,
        target: n === 50000 ? ratioTarget(0.4) : undefined,
      }),
      row({
        label: `↳ peak RSS at ${fmt(n + 1)} watches`,
        unit: 'MB',
        results: res,
        pick: (s) => s.peakRssMb,
        target: n === 50000 ? absoluteTarget(60, 'MB') : undefined,
      }),
    );
    if (biggest) {
      // Marginal memory per watch: (peak at n watches − peak on the empty directory) / n.
      const perWatch = (side) => {
        const a = res[side]?.samples.map((s) => s.peakRssMb) ?? [];
        const b = floor[side]?.samples.map((s) => s.peakRssMb) ?? [];
        const sa = summarize(a);
        const sb = summarize(b);
        return sa && sb ? { median: ((sa.median - sb.median) * 1024 * 1024) / n, min: NaN, max: NaN, n: 1 } : null;
      };
      rows.push(fixedRow({ label: `↳ memory per watch ((peak at ${fmt(n)} − peak empty) / ${fmt(n)})`, unit: 'bytes', ours: perWatch('ours'), theirs: perWatch('theirs') }));
    }
    scratch.remove(root);
  }
  commands.push(
    `inotifywait -m -r $TREE     # trees of ${sizes.trees.map(fmt).join(', ')} directories (fan-out ${FANOUT}, no files) on tmpfs, so the cache is warm; the kernel watch count is checked (n + 1)`,
  );
  return { rows, notes: [], commands };
}
