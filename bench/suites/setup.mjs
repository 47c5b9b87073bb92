// Issue item 4: time and peak RSS until "Watches established." for trees of directories (and for one
// empty directory, the start-up floor, next to `node -e 0` and the cost of importing our big dependencies).
import fs from 'node:fs';
import path from 'node:path';
import { contestants, startFor } from '../lib/field.mjs';
import { absoluteTarget, fieldRow, fixedRow, interleave, ratioTarget, row } from '../lib/interleave.mjs';
import { log } from '../lib/log.mjs';
import { floorPlusTarget, floorTarget, measureNode0, node0, wallOf } from '../lib/node-floor.mjs';
import { inotifyWatchCount } from '../lib/proc-stats.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { repoRoot } from '../lib/tools.mjs';
import { ToolFailure } from '../lib/watcher-process.mjs';

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

/**
 * Spawn → ready for contestant `c` doing `job` on `dir`; `expectWatches` kernel watches must be there
 * (null: not checked, e.g. a fanotify mark).
 */
export async function timeToReady(c, job, dir, expectWatches) {
  const w = startFor(c, job, dir, { expectWatches: expectWatches ?? 1 });
  try {
    const ms = await w.waitReady(120000);
    const watches = inotifyWatchCount(w.pid);
    if (expectWatches !== null && watches !== expectWatches) {
      throw new ToolFailure(`established ${watches} watches, expected ${expectWatches}`);
    }
    return { readyMs: ms, peakRssMb: w.memAtReady?.peakRssMb ?? NaN, watches };
  } finally {
    await w.stop('SIGKILL');
  }
}

/** Rows and samples of `node -e 0`, shared with the suites after this one (ctx.node0). */
const floorOf = (res) => () => (res.node0?.samples.length ? summarize(res.node0.samples.map((s) => s.readyMs)) : null);

export async function run(ctx) {
  const { tools, scratch, sizes, reps, strippedEnv } = ctx;
  const rows = [];
  const fieldRows = [];
  const commands = [];
  const ms = (s) => s.readyMs;
  const rss = (s) => s.peakRssMb;

  // Floor: one empty directory, every contestant and `node -e 0` interleaved.
  const empty = scratch.dir('empty');
  const onEmpty = [...contestants(tools.field, 'empty'), node0];
  const runEmpty = (t) => (t === node0 ? measureNode0() : timeToReady(t, 'empty', empty, 1));
  for (const t of onEmpty) if (t.available) await runEmpty(t).catch(() => {}); // warm-up, not counted
  log(`setup: empty directory, ${reps.cheap} reps`);
  const floor = await interleave({ tools: onEmpty, reps: reps.cheap, what: 'empty dir', run: runEmpty });
  ctx.node0 = floor.node0;
  const node0Ms = floorOf(floor);
  const node0Rss = () => (floor.node0?.samples.length ? summarize(floor.node0.samples.map(rss)) : null);
  rows.push(
    row({ label: 'Ready on an empty directory (wall)', unit: 'ms', results: floor, pick: ms, target: floorTarget(1.15, node0Ms) }),
    row({ label: '↳ moonshot', unit: 'ms', results: floor, pick: ms, target: absoluteTarget(25, 'ms') }),
    row({ label: '↳ peak RSS', unit: 'MB', results: floor, pick: rss, target: floorPlusTarget(6, node0Rss, 'MB') }),
  );
  const oursOverFloor = floor.ours?.samples.length && node0Ms() ? summarize(floor.ours.samples.map(ms)).median / node0Ms().median : NaN;
  const yargs = [];
  const koffi = [];
  const withEnv = [];
  const stripped = Object.keys(strippedEnv ?? {});
  for (let i = 0; i < reps.cheap; i++) {
    if (stripped.length) withEnv.push((await wallOf(process.execPath, ['-e', '0'], { env: { ...process.env, ...strippedEnv } })).ms);
    yargs.push((await wallOf(process.execPath, ['--input-type=module', '-e', "import 'yargs'"], { cwd: repoRoot })).ms);
    koffi.push((await wallOf(process.execPath, ['--input-type=module', '-e', "import 'koffi'"], { cwd: repoRoot })).ms);
  }
  const reference = (label, summary, note, unit = 'ms') => fixedRow({ label, unit, ours: summary, note, theirsAbsent: '—' });
  rows.push(
    reference('↳ reference: `node -e 0` (wall, interleaved with the runs above)', node0Ms(), `Node start-up alone; ours is ${fmt(oursOverFloor)}× it`),
    reference('↳ reference: `node -e 0` peak RSS', node0Rss(), 'read by the script itself from /proc/self/status as it ends', 'MB'),
    reference("↳ reference: node importing 'yargs' (wall)", summarize(yargs), 'dependency cost, for the start-up budget'),
    reference("↳ reference: node importing 'koffi' (wall)", summarize(koffi), 'dependency cost, for the start-up budget'),
  );
  if (stripped.length) rows.push(reference(`↳ reference: \`node -e 0\` with this machine's ${stripped.join(', ')}`, summarize(withEnv), 'not used for the other rows'));
  fieldRows.push(
    fieldRow({ label: 'Ready on an empty directory (wall)', unit: 'ms', results: floor, pick: ms }),
    fieldRow({ label: '↳ peak RSS at ready', unit: 'MB', results: floor, pick: rss }),
  );
  commands.push('inotifywait -m $EMPTY     # time from spawn to "Watches established." on stderr; peak RSS = VmHWM at that moment; `node -e 0` interleaved with the runs');
  commands.push("node -e 0; node --input-type=module -e \"import 'yargs'\"; node --input-type=module -e \"import 'koffi'\"     # spawn → exit");

  const bySize = new Map();
  const biggestN = Math.max(...sizes.trees);
  for (const n of sizes.trees) {
    const root = scratch.dir(`tree${n}`);
    buildTree(root, n);
    const first = n === sizes.trees[0];
    const biggest = n === biggestN;
    // The peers on the smallest tree only: the field's start-up with -r, not its scaling.
    const onTree = first ? contestants(tools.field, 'tree') : tools.wait;
    log(`setup: tree of ${n} directories, ${reps.cheap} reps`);
    const res = await interleave({
      tools: onTree,
      reps: reps.cheap,
      what: `tree ${n}`,
      run: (t) => timeToReady(t, 'tree', root, t.jobs?.tree?.watches?.(n) ?? n + 1),
    });
    bySize.set(n, res);
    const theirs = () => (res.theirs?.samples.length ? summarize(res.theirs.samples.map(ms)).median : NaN);
    let target;
    if (n === 1000) target = floorTarget(1.15, node0Ms, { plus: theirs, plusText: " + inotifywait's time" });
    else if (n === 50000) target = ratioTarget(0.6);
    rows.push(
      row({ label: `Set-up, tree of ${fmt(n)} directories: time to established`, unit: 'ms', results: res, pick: ms, target }),
      row({
        label: `↳ peak RSS at ${fmt(n + 1)} watches`,
        unit: 'MB',
        results: res,
        pick: rss,
        target: n === 50000 ? absoluteTarget(60, 'MB') : undefined,
      }),
    );
    if (first) {
      fieldRows.push(
        fieldRow({ label: `-r on a tree of ${fmt(n)} directories: time to ready`, unit: 'ms', results: res, pick: ms }),
        fieldRow({ label: `↳ peak RSS at ${fmt(n + 1)} watches`, unit: 'MB', results: res, pick: rss }),
      );
    }
    if (biggest) {
      // Marginal memory per watch: (peak at n watches − peak on the empty directory) / n.
      const perWatch = (side) => {
        const a = res[side]?.samples.map(rss) ?? [];
        const b = floor[side]?.samples.map(rss) ?? [];
        const sa = summarize(a);
        const sb = summarize(b);
        return sa && sb ? { median: ((sa.median - sb.median) * 1024 * 1024) / n, min: NaN, max: NaN, n: 1 } : null;
      };
      rows.push(fixedRow({ label: `↳ memory per watch ((peak at ${fmt(n)} − peak empty) / ${fmt(n)})`, unit: 'bytes', ours: perWatch('ours'), theirs: perWatch('theirs') }));
      // fanotify's -S on this tree: the fanotify part (suites/fanotify.mjs).
    }
    scratch.remove(root);
  }
  commands.push(
    `inotifywait -m -r $TREE     # trees of ${sizes.trees.map(fmt).join(', ')} directories (fan-out ${FANOUT}, no files) on tmpfs, so the cache is warm; the kernel watch count is checked (n + 1); the peers on the ${fmt(sizes.trees[0])}-directory tree`,
  );
  return { rows, notes: [], commands, field: { jobs: ['empty', 'tree'], rows: fieldRows } };
}
