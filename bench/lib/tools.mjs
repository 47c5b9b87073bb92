// The two implementations under comparison, found (inotify-tools installed through apt when missing and
// root) and probed: a tool that does not start or prints the wrong thing is reported, not benchmarked.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { READY, WatcherProcess, probeWatcher } from './watcher-process.mjs';
import { ensurePackage, helpVersion, which } from './apt.mjs';
import { findPeers, inotifywaitJobs, inotifywatchJobs } from './field.mjs';
import { log } from './log.mjs';

// inotifywait has no -S: the fanotify tools (fsnotifywait) do that job.
const INOTIFY_ONLY = { filesystem: 'inotify only: no -S' };

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Installs inotify-tools through apt when it is missing and we may; returns a note on what happened. */
export const ensureInotifyTools = () => ensurePackage('inotify-tools', ['inotifywait', 'inotifywatch']);

const theirsVersion = (cmd) => helpVersion(cmd) ?? 'unknown';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `inotifywait -m --format '%w%f %e' DIR` prints the line for a new file. */
const probe = (command, args, readyText, check) =>
  probeWatcher((dir) => new WatcherProcess({ command, args: args(dir), readyText, stdout: 'pipe' }), check);

function probeWait(command) {
  return probe(command, (dir) => ['-m', '--format', '%w%f %e', dir], READY.inotifywait, async (w, dir) => {
    const want = `${dir}/probe CREATE`;
    const line = await w.lines.next(5000).catch(() => null);
    if (line !== want) throw new Error(`printed ${JSON.stringify(line)} for a new file, expected ${JSON.stringify(want)}`);
  });
}

/** `inotifywatch DIR`, interrupted, counts the create in its table. */
function probeWatch(command) {
  return probe(command, (dir) => [dir], READY.inotifywatch, async (w, dir) => {
    await sleep(200);
    const table = [];
    const done = (async () => {
      for (let l; (l = await w.lines.next(5000)) !== null; ) table.push(l);
    })();
    await w.stop('SIGINT');
    await done.catch(() => {});
    const row = parseWatchTable(table.join('\n')).get(`${dir}/`);
    if (!row || row.create !== 1) throw new Error(`table did not count the create: ${JSON.stringify(table.slice(0, 3))}`);
  });
}

/** Parses inotifywatch's table into Map<path, {total, access, ...}>. */
export function parseWatchTable(text) {
  const lines = text.split('\n').filter((l) => l.trim());
  const rows = new Map();
  if (lines.length === 0) return rows;
  const header = lines[0].trim().split(/\s+/);
  if (header[0] !== 'total' || header[header.length - 1] !== 'filename') return rows;
  const cols = header.slice(0, -1);
  for (const line of lines.slice(1)) {
    const m = /^((?:\d+\s+){1,14})(.*)$/.exec(line);
    if (!m) continue;
    const nums = m[1].trim().split(/\s+/).map(Number);
    const row = {};
    cols.forEach((c, i) => (row[c] = nums[i]));
    rows.set(m[2], row);
  }
  return rows;
}

/**
 * @typedef {{ side: string, label: string, command: string|null, available: boolean, reason: string, maxReps?: number }} Tool
 * @returns {Promise<{ wait: Tool[], floor: Tool, watch: Tool[], field: Tool[], watchField: Tool[], theirsVersion: string, install: string }>}
 *   `field`: the inotifywaits and the peers (field.mjs), each with its jobs, for the tables of the whole field;
 *   `watchField`: the inotifywatches and theirs (the fsnotifywatches)
 */
export async function findTools({ oursWait, oursWatch, peerReps } = {}) {
  const install = ensureInotifyTools();
  const tw = which('inotifywait');
  const tn = which('inotifywatch');
  const version = tw ? theirsVersion(tw) : 'not installed';

  const oursWaitCmd = oursWait ?? path.join(REPO, 'bin', 'inotifywait');
  const oursWatchCmd = oursWatch ?? path.join(REPO, 'bin', 'inotifywatch');

  const describe = async (side, label, cmd, probe) => {
    if (!cmd) return { side, label, command: null, available: false, reason: `not installed (${install})` };
    const problem = await probe(cmd);
    if (problem) log(`${label} (${cmd}) is not usable: ${problem}`);
    return { side, label, command: cmd, available: !problem, reason: problem ? `not working: ${problem}` : '' };
  };
  const wait = [
    { ...(await describe('ours', 'inotifykit inotifywait', oursWaitCmd, probeWait)), short: 'inotifykit', jobs: inotifywaitJobs(), cannot: INOTIFY_ONLY },
    { ...(await describe('theirs', `inotify-tools inotifywait ${version}`, tw, probeWait)), short: `inotify-tools ${version}`, jobs: inotifywaitJobs(), cannot: INOTIFY_ONLY },
  ];
  const watch = [
    { ...(await describe('ours', 'inotifykit inotifywatch', oursWatchCmd, probeWatch)), short: 'inotifykit', jobs: inotifywatchJobs(), readyText: READY.inotifywatch },
    { ...(await describe('theirs', `inotify-tools inotifywatch ${version}`, tn, probeWatch)), short: `inotify-tools ${version}`, jobs: inotifywatchJobs(), readyText: READY.inotifywatch },
  ];
  return {
    wait,
    // Not a product: the least a Node watcher can do (see the file), run next to the others so that each
    // run shows how much of a gap is Node's and how much is the engine's.
    floor: {
      ...(await describe('floor', 'Node floor (bench/experiments/minimal-reader.mjs)', path.join(REPO, 'bench', 'experiments', 'minimal-reader.mjs'), probeWait)),
      jobs: { latency: inotifywaitJobs().latency, burst: inotifywaitJobs().burst },
    },
    field: [...wait, ...(await findPeers({ maxReps: peerReps }))],
    watch,
    watchField: [...watch, ...(await findPeers({ of: 'watch', maxReps: peerReps }))],
    theirsVersion: version,
    install,
  };
}

export const repoRoot = REPO;
