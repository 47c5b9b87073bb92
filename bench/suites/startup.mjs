// Issue #16: start-up the way scripts use the tools — each run in a loop is a blind window. inotifywatch
// to "Finished establishing", the single-event mode, `-d` (when the daemon really watches after the
// command returned), and a replay of the reload loop `while inotifywait -e modify -r DIR; do reload; done`.
// `node -e 0` is interleaved with them, for the targets "≤ 1.15× node -e 0".
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { onCleanup } from '../lib/cleanup.mjs';
import { contestants, startFor } from '../lib/field.mjs';
import { fieldRow, fixedRow, interleave, row } from '../lib/interleave.mjs';
import { log } from '../lib/log.mjs';
import { floorTarget, measureNode0, node0 } from '../lib/node-floor.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { READY, ToolFailure, WatcherProcess } from '../lib/watcher-process.mjs';

export const id = 'startup';
export const title = 'Start-up in scripts';

const RELOAD_SPACING_MS = 25;
/** After the last change, how long the loop gets to reload once more. */
const RELOAD_TAIL_MS = 1000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const since = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** `inotifywatch DIR` (or an fsnotifywatch) to "Finished establishing watches". */
async function watchReady(tool, dir) {
  const w = startFor(tool, 'empty', dir);
  try {
    return { readyMs: await w.waitReady(30000), peakRssMb: w.memAtReady?.peakRssMb ?? NaN };
  } finally {
    await w.stop('SIGKILL');
  }
}

/** `inotifywait -e create DIR`: ready, then a file is created, then it must print the event and exit 0. */
async function oneShot(tool, scratch) {
  const dir = scratch.dir('oneshot');
  const w = new WatcherProcess({ command: tool.command, args: ['-e', 'create', dir], readyText: READY.inotifywait, stdout: 'pipe' });
  try {
    const readyMs = await w.waitReady(30000);
    const created = process.hrtime.bigint();
    fs.writeFileSync(path.join(dir, 'new'), '');
    const line = await w.lines.next(10000);
    const { code } = await w.exit;
    if (line !== `${dir}/ CREATE new` || code !== 0) throw new ToolFailure(`printed ${JSON.stringify(line)}, exit ${code}`);
    return { readyMs, exitMs: Number(w.exitedAt - created) / 1e6, totalMs: Number(w.exitedAt - w.spawnedAt) / 1e6 };
  } finally {
    await w.stop('SIGKILL');
    scratch.remove(dir);
  }
}

/**
 * Pids that hold `file` open: the daemon we started, found by its unique log (its stdout). Not by its
 * command line: ours' daemon is a second node process whose command line does not name the log.
 */
function pidsHolding(file) {
  const out = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      for (const fd of fs.readdirSync(`/proc/${e}/fd`)) {
        if (fs.readlinkSync(`/proc/${e}/fd/${fd}`) === file) {
          out.push(Number(e));
          break;
        }
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return out;
}

function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * `inotifywait -d -o LOG -e create DIR`: the command returns; files are then created about 1 ms apart
 * until one is logged. The first one logged was created while the daemon watched; the one before it was
 * not. Result: when that was, after the command returned (≤ ~0.1 ms: it watched before returning).
 */
async function daemon(tool, scratch) {
  const dir = scratch.dir('daemon');
  const out = path.join(scratch.root, `${path.basename(dir)}.log`);
  fs.writeFileSync(out, ''); // -d needs an existing log
  const undo = onCleanup(() => killAll(pidsHolding(out)));
  try {
    const t0 = process.hrtime.bigint();
    const code = await new Promise((resolve, reject) => {
      const child = spawn(tool.command, ['-d', '-o', out, '-e', 'create', '--format', '%f', dir], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    const returnedMs = since(t0);
    if (code !== 0) throw new ToolFailure(`-d exited ${code}`);
    const created = [];
    for (let i = 0; ; i++) {
      fs.writeFileSync(path.join(dir, `p${i}`), '');
      created.push(since(t0));
      const text = fs.readFileSync(out, 'latin1');
      if (text.includes('\n')) {
        const first = /^p(\d+)$/.exec(text.slice(0, text.indexOf('\n')));
        if (!first) throw new ToolFailure(`logged ${JSON.stringify(text.slice(0, 40))}`);
        return { returnedMs, watchingAfterMs: created[Number(first[1])] - returnedMs };
      }
      if (since(t0) > 10000) throw new ToolFailure('logged nothing within 10 s');
      await sleep(1);
    }
  } finally {
    // Killed and waited for: a daemon left behind would keep the scratch tmpfs busy.
    for (let i = 0, pids; i < 100 && (pids = pidsHolding(out)).length; i++) {
      killAll(pids);
      await sleep(10);
    }
    undo();
    scratch.remove(dir);
  }
}

/**
 * The reload loop, fed `changes` in-place writes of a config file 25 ms apart; each reload appends what
 * it read. Counts the reloads and whether the last one read the last change (else the config is stale).
 */
async function reloadLoop(tool, scratch, changes, { since = false } = {}) {
  const dir = scratch.dir('reload');
  const state = path.join(scratch.root, `${path.basename(dir)}.state`);
  const conf = path.join(dir, 'config');
  const reloads = path.join(scratch.root, `${path.basename(dir)}.reloads`);
  fs.writeFileSync(conf, '0\n');
  fs.writeFileSync(reloads, '');
  // With `since`, our extension: each run first reports what changed since the previous run saved STATEFILE.
  const script = `while "$1" -e modify -r ${since ? '--since "$4" ' : ''}"$2" >/dev/null; do printf "%s\\n" "$(cat "$2/config")" >> "$3"; done`;
  // Its own process group, so that the loop and the inotifywait it runs at that moment go together.
  const child = spawn('sh', ['-c', script, 'sh', tool.command, dir, reloads, state], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const undo = onCleanup(killGroup);
  const ended = new Promise((r) => child.on('exit', r));
  try {
    let stderr = '';
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new ToolFailure(`no "Watches established." within 30 s: ${stderr.slice(0, 200)}`)), 30000);
      child.stderr.setEncoding('latin1').on('data', (d) => {
        stderr += d;
        if (stderr.includes(READY.inotifywait)) {
          clearTimeout(timer);
          resolve();
        }
      });
      ended.then(() => reject(new ToolFailure(`the loop ended: ${stderr.slice(0, 200)}`)));
    });
    const t0 = Date.now();
    for (let i = 1; i <= changes; i++) {
      fs.writeFileSync(conf, `${i}\n`);
      await sleep(Math.max(0, t0 + i * RELOAD_SPACING_MS - Date.now()));
    }
    const last = () => fs.readFileSync(reloads, 'latin1').split('\n').filter(Boolean);
    const tail = Date.now() + RELOAD_TAIL_MS;
    while (Date.now() < tail && last().at(-1) !== String(changes)) await sleep(10);
    const lines = last();
    return { reloads: lines.length, lastSeen: lines.at(-1) === String(changes) };
  } finally {
    killGroup();
    undo();
    await ended;
    scratch.remove(dir);
    fs.rmSync(state, { force: true });
  }
}

export async function run(ctx) {
  const { tools, scratch, reps, quick } = ctx;
  const rows = [];
  const floorRows = [];
  const changes = quick ? 10 : 40;

  log(`startup: single-event mode, -d, inotifywatch, ${reps.cheap} reps, with \`node -e 0\``);
  const withFloor = [...tools.wait, node0];
  const one = await interleave({
    tools: withFloor,
    reps: reps.cheap,
    what: 'one-shot',
    run: (t) => (t === node0 ? measureNode0() : oneShot(t, scratch)),
  });
  const floor = () => (one.node0?.samples.length ? summarize(one.node0.samples.map((s) => s.readyMs)) : null);
  const startTarget = floorTarget(1.15, floor);
  rows.push(
    row({ label: 'Single-event mode (`inotifywait -e create $DIR`): ready', unit: 'ms', results: one, pick: (s) => s.readyMs, target: startTarget }),
    row({ label: '↳ file created → exit', unit: 'ms', results: one, pick: (s) => s.exitMs }),
    row({ label: '↳ spawn → exit, the file created at ready', unit: 'ms', results: one, pick: (s) => s.totalMs }),
  );
  floorRows.push(fixedRow({ label: '↳ reference: `node -e 0` (wall, interleaved with the single-event runs)', unit: 'ms', ours: floor(), theirsAbsent: '—' }));

  const d = await interleave({ tools: tools.wait, reps: reps.cheap, what: 'daemon', run: (t) => daemon(t, scratch) });
  rows.push(
    row({
      label: '`-d`: watching after the command returned (≤ 0.1 ms: before)',
      unit: 'ms',
      results: d,
      pick: (s) => s.watchingAfterMs,
      target: { text: '≤ 1.15× `node -e 0`', check: startTarget.check },
    }),
    row({ label: '↳ the command returned after', unit: 'ms', results: d, pick: (s) => s.returnedMs }),
  );

  const empty = scratch.dir('empty-watch');
  const iw = await interleave({ tools: contestants(tools.watchField, 'empty'), reps: reps.cheap, what: 'inotifywatch ready', run: (t) => watchReady(t, empty) });
  rows.push(
    row({ label: 'inotifywatch on an empty directory: to "Finished establishing watches"', unit: 'ms', results: iw, pick: (s) => s.readyMs, target: startTarget }),
    row({ label: '↳ peak RSS', unit: 'MB', results: iw, pick: (s) => s.peakRssMb }),
  );

  log(`startup: reload loop, ${changes} changes ${RELOAD_SPACING_MS} ms apart, ${reps.cheap} reps`);
  const loop = await interleave({ tools: tools.wait, reps: reps.cheap, what: 'reload loop', run: (t) => reloadLoop(t, scratch, changes) });
  const allSeen = {
    text: '100 %',
    check: (r) => ({ met: r.ours.median === 100, by: `${fmt(100 - r.ours.median)} % of the runs (stale config)` }),
  };
  rows.push(
    row({ label: `Reload loop, ${changes} changes ${RELOAD_SPACING_MS} ms apart: reloads`, unit: '', results: loop, pick: (s) => s.reloads }),
    row({ label: '↳ runs whose last reload read the last change', unit: '%', results: loop, pick: (s) => s.lastSeen, share: true, target: allSeen }),
  );
  // The same loop given our `--since STATEFILE` (inotify-tools has no such option): the blind window
  // between two runs is closed by the state file instead of by start-up time.
  const ours = tools.wait.filter((t) => t.side === 'ours');
  const sinceLoop = await interleave({ tools: ours, reps: reps.cheap, what: 'reload loop --since', run: (t) => reloadLoop(t, scratch, changes, { since: true }) });
  const withSince = { ...sinceLoop, theirs: { tool: { available: false, reason: '— (no --since)' }, samples: [], errors: [] } };
  rows.push(
    row({ label: '↳ with `--since STATEFILE` (our extension): reloads', unit: '', results: withSince, pick: (s) => s.reloads }),
    row({ label: '↳ with `--since STATEFILE`: runs whose last reload read the last change', unit: '%', results: withSince, pick: (s) => s.lastSeen, share: true, target: allSeen }),
  );

  return {
    rows: [...rows, ...floorRows],
    notes: [],
    field: {
      list: tools.watchField,
      jobs: ['empty'],
      rows: [
        fieldRow({ label: 'inotifywatch / fsnotifywatch on an empty directory: to "Finished establishing watches"', unit: 'ms', results: iw, pick: (s) => s.readyMs }),
        fieldRow({ label: '↳ peak RSS', unit: 'MB', results: iw, pick: (s) => s.peakRssMb }),
      ],
    },
    commands: [
      'inotifywait -e create $DIR     # spawn → "Watches established."; then a file is created: → the event line and exit 0; `node -e 0` interleaved',
      "inotifywait -d -o $LOG -e create --format '%f' $DIR     # the command's exit; then files p0, p1, … about 1 ms apart until one is logged: the first logged was created while it watched",
      'inotifywatch $EMPTY     # spawn → "Finished establishing watches"; the fsnotifywatches likewise',
      `sh -c 'while inotifywait -e modify -r "$2" >/dev/null; do printf "%s\\n" "$(cat "$2/config")" >> "$3"; done' sh $DIR $RELOADS     # from its first "Watches established.": ${changes} in-place writes of $DIR/config (1, 2, …) ${RELOAD_SPACING_MS} ms apart; counted ${RELOAD_TAIL_MS} ms after the last at most`,
      `sh -c 'while inotifywait -e modify -r --since "$4" "$2" >/dev/null; do …; done' sh $DIR $RELOADS $STATE     # ours alone (an extension): the same changes`,
    ],
  };
}
