// The differential runner: the same scenario against our inotifywatch and the real one, side by side.
import assert from 'node:assert/strict';
import { twinDirs } from '../lib/cli.mjs';
import { OURS, UPSTREAM, start, upstreamIdle, waitFor } from './helpers.mjs';

/**
 * Runs both tools with `args` in two identical scenario directories (`tree`, see makeTree, or a function
 * of the directory), applies `act(dir, runs)` to each once both are collecting, ends them (`end`: a signal
 * name, or 'exit' when `-t` ends them) and compares stdout bytes, stderr and the exit status.
 * `act` must produce the same kernel events every time: distinct files, nothing that coalesces.
 */
export async function compareWithUpstream(t, { tree = {}, args, act = () => {}, end = 'SIGINT', stdin, compare = true }) {
  const tools = { ours: OURS, upstream: UPSTREAM };
  const dirs = twinDirs(t, tree, 'ik-iw-');
  const runs = {};
  t.after(() => Object.values(runs).forEach((r) => r.child.exitCode === null && r.kill('SIGKILL')));
  // Ours first, upstream once ours is ready: upstream starts in a millisecond, so with -t both timers
  // start together however slowly Node starts on a busy machine (upstream's could expire before the act).
  for (const [name, bin] of Object.entries(tools)) {
    runs[name] = start(bin, args, { cwd: dirs[name], stdin });
    await runs[name].ready();
  }
  for (const name of Object.keys(tools)) await act(dirs[name], runs[name]);
  if (end !== 'exit') {
    // Upstream stops reading at the signal: let it read everything first (ours drains by itself).
    await waitFor(() => upstreamIdle(runs.upstream.pid), 'upstream inotifywatch to read all events');
    for (const run of Object.values(runs)) run.kill(end);
  }
  const [ours, upstream] = await Promise.all([runs.ours.result(), runs.upstream.result()]);
  if (compare) {
    assert.equal(ours.stdout.toString('latin1'), upstream.stdout.toString('latin1'), 'stdout, byte for byte');
    assert.equal(ours.stderr, upstream.stderr, 'stderr');
    assert.equal(ours.code, upstream.code, 'exit status');
  }
  return { ours, upstream, dirs };
}
