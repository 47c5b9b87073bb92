// --since across real process runs (the since-wait driver): the rsync-style loop, crashes, SIGUSR2.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { openSince } from '@inotifykit/event-core/since';
import { makeTree, runDriver, startDriver, tempDir, waitFor } from '../backends/parcel/helpers.mjs';

const hasRsync = spawnSync('rsync', ['--version']).status === 0;

/** Relative path → content (null for directories) of a whole tree. */
function treeOf(root) {
  const out = {};
  for (const rel of fs.readdirSync(root, { recursive: true }).sort()) {
    const p = `${root}/${rel}`;
    out[rel] = fs.lstatSync(p).isDirectory() ? null : fs.readFileSync(p, 'latin1');
  }
  return out;
}

for (const backend of ['inotify', 'parcel']) {
  test(`${backend}: the rsync-style loop twice; the second run replays exactly the changes between`, { skip: !hasRsync && 'rsync not installed' }, async (t) => {
    const dir = tempDir(t);
    makeTree(dir, { 'src/docs/a.txt': 'a', 'src/docs/old.txt': 'old', 'src/keep': 'k', 'src/tmp/x': 'x', 'dst/': null });
    const loop = ['--backend', backend, '-r', '-t', '1', '-e', 'close_write,create,delete,move', '--since', `${dir}/state`, `${dir}/src`];
    const sync = () => execFileSync('rsync', ['-a', '--delete', `${dir}/src/`, `${dir}/dst/`]);

    // Run 1: no state yet, nothing to replay, nothing happens: timeout (2); then the first sync.
    const first = await runDriver(loop);
    assert.equal(first.code, 2, first.stderr);
    assert.deepEqual(first.lines, []);
    sync();

    // Changes while the loop is syncing rather than watching.
    fs.writeFileSync(`${dir}/src/docs/a.txt`, 'a, edited');
    fs.unlinkSync(`${dir}/src/docs/old.txt`);
    fs.rmSync(`${dir}/src/tmp`, { recursive: true });
    makeTree(dir, { 'src/new/deeper/n.txt': 'n' });

    // Run 2: exactly those changes, replayed, and exit 0 so the loop syncs.
    const second = await runDriver(loop);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(second.lines, [
      `R DELETE ${dir}/src/tmp/x`,
      `R DELETE,ISDIR ${dir}/src/tmp`,
      `R DELETE ${dir}/src/docs/old.txt`,
      `R MODIFY ${dir}/src/docs/a.txt`,
      `R CREATE,ISDIR ${dir}/src/new`,
      `R CREATE,ISDIR ${dir}/src/new/deeper`,
      `R CREATE ${dir}/src/new/deeper/n.txt`,
    ]);
    sync();
    assert.deepEqual(treeOf(`${dir}/dst`), treeOf(`${dir}/src`));

    // Run 3: nothing changed since run 2 started.
    const third = await runDriver(loop);
    assert.equal(third.code, 2, third.stderr);
    assert.deepEqual(third.lines, []);
  });
}

test('a live event ends the run; its state is saved at exit, so the next run replays nothing', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/': null });
  assert.equal((await runDriver(['-r', '-t', '1', '--since', `${dir}/state`, `${dir}/tree`])).code, 2);
  const run = await startDriver(t, ['-r', '-t', '5', '--since', `${dir}/state`, `${dir}/tree`]);
  fs.writeFileSync(`${dir}/tree/f`, '');
  const { code } = await run.exited;
  assert.equal(code, 0);
  assert.equal(run.lines()[0], `L CREATE ${dir}/tree/f`);
  const next = await runDriver(['-r', '-t', '1', '--since', `${dir}/state`, `${dir}/tree`]);
  assert.deepEqual(next.lines, []);
});

test('SIGUSR2 saves while watching: after a SIGKILL only later changes are replayed', async (t) => {
  const dir = tempDir(t);
  makeTree(dir, { 'tree/': null });
  const state = `${dir}/state`;
  const run = await startDriver(t, ['-m', '-r', '--since', state, `${dir}/tree`]);
  fs.writeFileSync(`${dir}/tree/seen-live`, '');
  await waitFor('live event', () => run.lines().includes(`L CREATE ${dir}/tree/seen-live`));
  const before = fs.readFileSync(state);
  run.child.kill('SIGUSR2');
  await waitFor('a new state file', () => !fs.readFileSync(state).equals(before));
  run.child.kill('SIGKILL');
  await run.exited;
  fs.writeFileSync(`${dir}/tree/while-dead`, '');
  const next = await runDriver(['-r', '-t', '1', '--since', state, `${dir}/tree`]);
  assert.deepEqual(next.lines, [`R CREATE ${dir}/tree/while-dead`]);
});

test('SIGKILL at any moment, saves running every 20 ms: the state file always opens, changes are never lost', async (t) => {
  const dir = tempDir(t);
  const many = {};
  for (let i = 0; i < 1500; i++) many[`tree/d${i % 30}/f${i}`] = 'x'.repeat(i % 100);
  makeTree(dir, many);
  const state = `${dir}/state`;
  assert.equal((await runDriver(['-r', '-t', '1', '--since', state, `${dir}/tree`])).code, 2); // the first state
  const printed = [];
  const kills = [5, 40, 90, 160, 250];
  for (const [round, delay] of kills.entries()) {
    const run = await startDriver(t, ['-m', '-r', '--save-interval', '20', '--since', state, `${dir}/tree`]);
    fs.writeFileSync(`${dir}/tree/d${round}/killed-${round}`, 'k');
    await new Promise((r) => setTimeout(r, delay)); // the moment of the kill is what varies: the sleep is the test
    run.child.kill('SIGKILL');
    await run.exited;
    printed.push(...run.lines());
    const session = await openSince(state, [`${dir}/tree`], { recursive: true }); // throws if damaged
    await session.close();
  }
  fs.writeFileSync(`${dir}/tree/after`, '');
  const next = await runDriver(['-m', '-r', '-t', '1', '--since', state, `${dir}/tree`]);
  printed.push(...next.lines);
  assert.ok(next.lines.includes(`R CREATE ${dir}/tree/after`), next.lines.join('\n'));
  // Every change was output by some run (live, or replayed later): repeats are allowed, losses are not.
  for (const round of kills.keys()) {
    const file = `${dir}/tree/d${round}/killed-${round}`;
    assert.ok(printed.some((l) => /^[RL] CREATE /.test(l) && l.endsWith(file)), `killed-${round} lost`);
  }
  const leftovers = fs.readdirSync(dir).filter((n) => n.startsWith('state.tmp-'));
  assert.deepEqual(leftovers, [], 'temp files of killed writers are cleaned up by the next save');
});
