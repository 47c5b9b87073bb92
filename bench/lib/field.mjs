// The field: every watcher a suite can run for a job, each described once here — how it is started for
// the job, how it says it is ready, what its lines look like — so that a suite asks for "the contestants
// of job X" and a new contestant is one entry in PEERS (inotifywait's peers) or WATCH_PEERS (inotifywatch's).
//
// Jobs:
//   empty      start on an empty directory (ready time, RSS)
//   tree       recursive on a tree of directories (set-up time)
//   filesystem one fanotify filesystem mark on the tree (`-S`)
//   latency    a line for each file written and closed
//   burst      a line for the events of every file of a burst
// A contestant without a job is still a column; its cell says why it is empty.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensurePackage, helpVersion, which } from './apt.mjs';
import { log } from './log.mjs';
import { READY, WatcherProcess, probeWatcher } from './watcher-process.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PEERS_DIR = path.join(REPO, 'bench', 'peers');

function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The jobs of any CLI with inotifywait's options and output (ours, inotify-tools', the fanotify ones). */
export function inotifywaitJobs({ filesystem = false } = {}) {
  return {
    empty: { args: (dir) => ['-m', dir] },
    tree: { args: (dir) => ['-m', '-r', dir] },
    ...(filesystem ? { filesystem: { args: (dir) => ['-m', '-S', dir] } } : {}),
    latency: { args: (dir) => ['-m', '-e', 'close_write', '--format', '%w%f %e', dir], line: (p) => `${p} CLOSE_WRITE,CLOSE`, trigger: 'close' },
    burst: { args: (dir) => ['-m', '--format', '%w%f %e', dir], linesPerFile: 3 },
  };
}

/**
 * The fsnotifywaits' jobs: inotifywait's and `-S`; the kernel merges a file's unread OPEN, MODIFY and
 * CLOSE_WRITE into one event, so the lines per burst file are not known (drained once idle).
 */
export const fanotifyJobs = () =>
  (({ burst, ...jobs }) => ({ ...jobs, burst: { ...burst, linesPerFile: null } }))(inotifywaitJobs({ filesystem: true }));

/** One of our CLIs that may not exist yet (bin/NAME): it joins the field once it does. */
function oursBin(name, readyText) {
  const p = path.join(REPO, 'bin', name);
  return {
    side: `${name}-ours`,
    name: `inotifykit ${name}`,
    find: () => (fs.existsSync(p) ? p : null),
    missing: `bin/${name} is not in this checkout yet`,
    version: () => null,
    readyText,
  };
}

/**
 * A peer run by its script in bench/peers/ (`SCRIPT DIR`: one "<path> <event>" line per event). Through
 * libuv's or parcel's inotify mask it never hears OPEN or CLOSE_WRITE: a new file's CREATE (from open())
 * is its event, `created`, for latency. `maxFiles` caps its share of a burst.
 */
function scriptPeer(pkg, script, created, { maxFiles } = {}) {
  const dirOnly = { args: (dir) => [dir] };
  return {
    side: pkg,
    name: pkg,
    find: () => (packageVersion(pkg) ? path.join(PEERS_DIR, script) : null),
    version: () => packageVersion(pkg),
    jobs: {
      empty: dirOnly,
      tree: dirOnly,
      latency: { ...dirOnly, line: (p) => `${p} ${created}`, trigger: 'create' },
      burst: { ...dirOnly, linesPerFile: 1, maxFiles },
    },
    cannot: { filesystem: 'inotify only' },
  };
}

// fswatch prints each batch once its latency period is over; 0.1 s is the least its manual allows (default 1 s).
const FSWATCH = ['-x', '-l', '0.1'];

/** Jobs the fsnotifywaits do against each other in the fanotify part (suites/fanotify.mjs), not here. */
const FANOTIFY_PART = { latency: 'in the fanotify part', burst: 'in the fanotify part' };

/**
 * The peers, in column order. `find()` returns the command or null; `cannot` gives the reason for a job
 * it cannot do; `elsewhere` a job it does in a part of its own (its cell says where); `notes` go beside
 * its cells.
 */
const PEERS = [
  {
    side: 'fswatch',
    name: 'fswatch',
    find: () => which('fswatch'),
    apt: 'fswatch',
    version: (cmd) => /fswatch (\S+)/.exec(spawnSync(cmd, ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1],
    // It prints nothing once it is watching: ready is when it holds its kernel watches (/proc/PID/fdinfo).
    readyWatches: true,
    jobs: {
      empty: { args: (dir) => [...FSWATCH, dir] },
      tree: { args: (dir) => [...FSWATCH, '-r', dir] },
      latency: { args: (dir) => [...FSWATCH, '--event', 'Updated', dir], line: (p) => `${p} Updated`, trigger: 'close' },
      burst: { args: (dir) => [...FSWATCH, dir], linesPerFile: 3 },
    },
    cannot: { filesystem: 'inotify only' },
    notes: {
      all: '`-x -l 0.1`: fswatch prints events in batches, one per latency period; 0.1 s is the least its manual allows (default 1 s); ready = its kernel watches are in place (it prints nothing)',
    },
  },
  {
    // Hundreds of µs of CPU per file: the full burst would take minutes a run.
    ...scriptPeer('chokidar', 'chokidar.mjs', 'add', { maxFiles: 10000 }),
    notes: {
      burst: 'a burst of at most 10,000 files: at its CPU per file the full one would take a minute a run',
      all: '`bench/peers/chokidar.mjs` (`ignoreInitial`, defaults otherwise); chokidar 6 declares Node ≥ 22.22 and runs here on Node 20 (on Linux: one `fs.watch` per directory); through libuv it hears CREATE, not OPEN or CLOSE_WRITE, so it has 1 event per burst file to read where the inotifywaits have 3',
      latency: 'holds the `add` of an empty file 10 ms by design (its EMPTY_FILE_HOLD; the bench writes empty files); clock started before open(): its event is the CREATE',
    },
  },
  {
    ...scriptPeer('@parcel/watcher', 'parcel-watcher.mjs', 'create'),
    side: 'parcel',
    notes: {
      all: '`bench/peers/parcel-watcher.mjs`; always recursive; hears CREATE only, like chokidar',
      latency: 'debounces ~50 ms by design (its latency is that wait, not its reading); clock started before open()',
    },
  },
  // The fanotify tools: inotifywait's options and output, so the same jobs (and `-S`).
  {
    ...oursBin('fsnotifywait', READY.inotifywait),
    // -r is one filesystem mark and the root's inode mark: one "watch" whatever the tree.
    jobs: (({ tree, ...jobs }) => ({ ...jobs, tree: { ...tree, watches: () => 1 } }))(fanotifyJobs()),
    elsewhere: FANOTIFY_PART,
    notes: { tree: '-r is one filesystem mark (and an inode mark on the root), so its watch count is 1' },
  },
  {
    side: 'fsnotifywait-theirs',
    name: 'inotify-tools fsnotifywait',
    find: () => which('fsnotifywait'),
    version: helpVersion,
    readyText: READY.inotifywait,
    jobs: fanotifyJobs(),
    elsewhere: FANOTIFY_PART,
    // 3.22.6 prints a debug line "[fid=…;name='…'] PATH" on stdout for each new name.
    junk: /^\[fid=/,
    notes: {
      all: 'inotify-tools 3.22.6 prints a debug `[fid=…]` line on stdout for each new name (skipped here)',
    },
  },
];

/** inotifywatch's job here: start on a directory and say "Finished establishing watches". */
export const inotifywatchJobs = () => ({ empty: { args: (dir) => [dir] } });

/** The peers of inotifywatch: the fanotify fsnotifywatches (inotifywatch's options and output). */
const WATCH_PEERS = [
  {
    ...oursBin('fsnotifywatch', READY.inotifywatch),
    jobs: inotifywatchJobs(),
    probe: 'ready',
  },
  {
    side: 'fsnotifywatch-theirs',
    name: 'inotify-tools fsnotifywatch',
    find: () => which('fsnotifywatch'),
    version: helpVersion,
    readyText: READY.inotifywatch,
    jobs: inotifywatchJobs(),
    probe: 'ready',
  },
];

/** Spawns contestant `c` for `job` on `dir`; `expectWatches` is the readiness bar of a tool without a ready line. */
export function startFor(c, job, dir, { stdout = 'ignore', expectWatches = 1 } = {}) {
  return new WatcherProcess({
    command: c.command,
    args: c.jobs[job].args(dir),
    readyText: c.readyText === undefined ? READY.inotifywait : c.readyText,
    readyWatches: c.readyWatches ? expectWatches : undefined,
    stdout,
  });
}

/** The path a line is about: up to the first space (the bench's paths have none); null for a junk line. */
export function pathOfLine(c, line) {
  if (c.junk?.test(line)) return null;
  const sp = line.indexOf(' ');
  return sp < 0 ? line : line.slice(0, sp);
}

/**
 * Starts `c` on a fresh directory, creates a file, and resolves with null when a line names it (or, for
 * `probe: 'ready'`, when it said it is ready), else with what went wrong.
 */
const probe = (c) =>
  c.probe === 'ready'
    ? probeWatcher((dir) => startFor(c, 'empty', dir), async () => {})
    : probeWatcher(
    (dir) => startFor(c, 'burst', dir, { stdout: 'pipe' }),
    async (w, dir) => {
      const file = path.join(dir, 'probe');
      const line = await w.lines.until((l) => pathOfLine(c, l) === file, 5000).catch(() => null);
      if (line === null) throw new Error(`printed no line for a new file: ${w.stderrSummary()}`);
    },
  );

/**
 * The peers found on this machine, probed: inotifywait's (`of: 'wait'`) or inotifywatch's (`of: 'watch'`).
 * Each is a Tool (see tools.mjs) with `jobs`, `cannot`, `notes`, `short` (column header) and `maxReps`.
 */
export async function findPeers({ of = 'wait', maxReps }) {
  const out = [];
  for (const p of of === 'watch' ? WATCH_PEERS : PEERS) {
    const installed = p.apt ? ensurePackage(p.apt, [p.apt]) : '';
    const command = p.find();
    const version = command ? p.version(command) : null;
    const label = version ? `${p.name} ${version}` : p.name;
    const base = { ...p, label, short: label, command, maxReps, cannot: p.cannot ?? {}, notes: p.notes ?? {} };
    if (!command) {
      out.push({ ...base, available: false, reason: p.missing ?? (installed || 'not installed') });
      continue;
    }
    const problem = await probe(base);
    if (problem) log(`${label} (${command}) is not usable: ${problem}`);
    out.push({ ...base, available: !problem, reason: problem ? `not working: ${problem}` : '' });
  }
  return out;
}

/**
 * The contestants for `job`, in column order: each one that cannot do it comes back unavailable, with
 * the reason, so that its cell says why it is empty. `maxReps` overrides the peers' repetitions.
 */
export function contestants(list, job, { maxReps } = {}) {
  return list.map((c) => {
    const d = maxReps !== undefined && c.maxReps !== undefined ? { ...c, maxReps } : c;
    if (!d.available || (d.jobs?.[job] && !d.elsewhere?.[job])) return d;
    return { ...d, available: false, reason: d.elsewhere?.[job] ?? d.cannot?.[job] ?? `cannot do this job (${job})` };
  });
}

/** A peer's share of a burst of `files`: its own cap, and in a quick run at most QUICK_PEER_FILES. */
const QUICK_PEER_FILES = 2000;
export function burstFilesFor(c, files, quick) {
  if (c.maxReps === undefined) return files;
  return Math.min(files, c.jobs?.burst?.maxFiles ?? Infinity, quick ? QUICK_PEER_FILES : Infinity);
}
