// --since across runs whose scope differs (-r or not, `@` exclusions), with the real CLIs: what one run did not
// cover has no baseline and is never replayed as created; what really changed in the part both covered is.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTree, startTool, tempDir } from '../../lib/cli.mjs';

const INOTIFYWAIT = fileURLToPath(new URL('../../../bin/inotifywait', import.meta.url));
const INOTIFYWATCH = fileURLToPath(new URL('../../../bin/inotifywatch', import.meta.url));
const BACKENDS = ['inotify', 'parcel'];

/**
 * One `inotifywait -m --json` run in `cwd`: `act()` once watching, then SIGINT (the state is saved). Lines are
 * `EVENTS path` (backend-neutral: %w%f), replayed ones and live ones apart.
 */
async function waitRun(t, cwd, args, act = async () => {}) {
  const run = startTool(INOTIFYWAIT, ['-m', '--json', ...args], { cwd });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr('Watches established.');
  await act(run);
  run.kill('SIGINT');
  const { signal, stdout, stderr } = await run.result();
  assert.equal(signal, 'SIGINT', stderr);
  const events = stdout.toString('latin1').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const line = (e) => `${[...e.events, ...(e.is_dir ? ['isdir'] : [])].join(',').toUpperCase()} ${e.path}`;
  return { replayed: events.filter((e) => e.replayed).map(line), live: events.filter((e) => !e.replayed).map(line), stderr };
}

/** One `inotifywatch --json` run in `cwd`, stopped by SIGINT once collecting: its final document. */
async function watchRun(t, cwd, args) {
  const run = startTool(INOTIFYWATCH, ['--json', ...args], { cwd });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr('Finished establishing watches');
  run.kill('SIGINT');
  const { code, stdout, stderr } = await run.result();
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout.toString().trimEnd().split('\n').at(-1));
}

const stateVersion = (cwd) => fs.readFileSync(`${cwd}/state`, 'latin1').split('\n')[0];

const TREE = { 'tree/top': '1', 'tree/a/b/f': '1', 'tree/x/g': '1' };

for (const backend of BACKENDS) {
  const b = ['--backend', backend];

  test(`${backend}: without -r, then with -r: nothing invented below the top; real changes at the top replayed`, async (t) => {
    const cwd = tempDir(t);
    makeTree(cwd, TREE);
    await waitRun(t, cwd, [...b, '--since', 'state', 'tree']);
    fs.writeFileSync(`${cwd}/tree/top`, '2'); // at the top: covered by both runs
    fs.writeFileSync(`${cwd}/tree/a/b/f`, '2'); // below it: the first run had no baseline there
    makeTree(cwd, { 'tree/new/deep/n': 'n' }); // a new directory at the top: all of it is new

    const wide = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(wide.replayed, ['CREATE,ISDIR tree/new', 'CREATE,ISDIR tree/new/deep', 'CREATE tree/new/deep/n', 'MODIFY tree/top']);
    // Nothing is said about the newly covered part, as nothing is for a new root (parcel's notice comes first).
    assert.ok(wide.stderr.endsWith('\nWatches established.\n'), wide.stderr);
    assert.equal(wide.stderr.split('\n').filter((l) => l.startsWith('Setting up watches.')).length, 1, wide.stderr);
    assert.ok(wide.stderr.split('\n').at(-3).startsWith('Setting up watches.'), wide.stderr);

    // That run's state covers the whole tree: a deep change is replayed from now on.
    fs.writeFileSync(`${cwd}/tree/a/b/f`, '3');
    const again = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(again.replayed, ['MODIFY tree/a/b/f']);
  });

  test(`${backend}: -r with @x, then without: nothing invented inside x; a real change outside x replayed`, async (t) => {
    const cwd = tempDir(t);
    makeTree(cwd, TREE);
    await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree', '@tree/x']);
    fs.writeFileSync(`${cwd}/tree/x/g`, '2');
    makeTree(cwd, { 'tree/x/new': 'n', 'tree/a/n': 'n' });
    fs.writeFileSync(`${cwd}/tree/top`, '2');

    const wide = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(wide.replayed, ['CREATE tree/a/n', 'MODIFY tree/top']);
    fs.writeFileSync(`${cwd}/tree/x/g`, '3');
    const again = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(again.replayed, ['MODIFY tree/x/g'], 'x has a baseline now');

    // The other way: a new exclusion reports nothing from x, and keeps x's baseline for a later run.
    fs.writeFileSync(`${cwd}/tree/x/g`, '4');
    const narrow = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree', '@tree/x']);
    assert.deepEqual(narrow.replayed, []);
    const wideAgain = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(wideAgain.replayed, ['MODIFY tree/x/g']);
  });

  test(`${backend}: -r, then without -r, then -r: a deep change made during the narrower run is replayed by the third`, async (t) => {
    const cwd = tempDir(t);
    makeTree(cwd, TREE);
    await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    const narrow = await waitRun(t, cwd, [...b, '--since', 'state', 'tree'], async (run) => {
      makeTree(cwd, { 'tree/a/b/during': 'd' }); // not watched by this run: not reported by it
      fs.writeFileSync(`${cwd}/tree/a/b/f`, '2');
      fs.writeFileSync(`${cwd}/tree/live`, ''); // watched: reported live, and covered by this run's state
      await run.waitStdout('"name":"live"');
    });
    assert.deepEqual(narrow.replayed, []);
    assert.ok(!narrow.live.some((l) => l.includes('tree/a/')), narrow.live.join('\n'));
    // The -r snapshot stays, as the baseline of what the narrower run did not cover.
    assert.equal(stateVersion(cwd), 'inotifykit-since 2');

    const wide = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(wide.replayed, ['CREATE tree/a/b/during', 'MODIFY tree/a/b/f']);
    assert.equal(stateVersion(cwd), 'inotifykit-since 1', 'one snapshot covers everything again');
    const last = await waitRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.deepEqual(last.replayed, []);
  });

  test(`${backend}: inotifywatch counts the same: nothing invented when -r or an @ exclusion widens the scope`, async (t) => {
    const cwd = tempDir(t);
    makeTree(cwd, TREE);
    const first = await watchRun(t, cwd, [...b, '--since', 'state', 'tree']);
    assert.equal(first.replayed, 0);
    fs.writeFileSync(`${cwd}/tree/a/b/f`, '2');
    fs.writeFileSync(`${cwd}/tree/top`, '2');
    const wide = await watchRun(t, cwd, [...b, '-r', '--since', 'state', 'tree', '@tree/x']);
    assert.equal(wide.replayed, 1);
    assert.equal(wide.totals.counts.modify, 1);
    fs.writeFileSync(`${cwd}/tree/x/g`, '2');
    fs.writeFileSync(`${cwd}/tree/a/b/f`, '3');
    const wider = await watchRun(t, cwd, [...b, '-r', '--since', 'state', 'tree']);
    assert.equal(wider.replayed, 1, 'tree/a/b/f only: tree/x had no baseline');
    assert.equal(wider.totals.total, 1);
  });
}

test('a state file written before scopes were recorded is read; its scope is taken as this run\'s', async (t) => {
  const cwd = tempDir(t);
  makeTree(cwd, TREE);
  await waitRun(t, cwd, ['-r', '--since', 'state', 'tree']);
  // What the earlier version wrote: the same file, without the scope (it is in the header only).
  const bytes = fs.readFileSync(`${cwd}/state`);
  const [magic, header] = bytes.toString('latin1').split('\n', 2);
  const json = JSON.parse(Buffer.from(header, 'latin1').toString('utf8'));
  for (const root of json.roots) delete root.scope;
  const old = Buffer.concat([Buffer.from(`${magic}\n${JSON.stringify(json)}\n`), bytes.subarray(magic.length + header.length + 2)]);
  fs.writeFileSync(`${cwd}/state`, old);
  assert.equal(magic, 'inotifykit-since 1');
  assert.ok(!old.includes('"scope"'));

  fs.writeFileSync(`${cwd}/tree/a/b/f`, '2');
  fs.rmSync(`${cwd}/tree/x`, { recursive: true });
  const next = await waitRun(t, cwd, ['-r', '--since', 'state', 'tree']);
  assert.deepEqual(next.replayed, ['DELETE tree/x/g', 'DELETE,ISDIR tree/x', 'MODIFY tree/a/b/f']);
  assert.match(fs.readFileSync(`${cwd}/state`, 'latin1').split('\n')[1], /"scope":\{"recursive":true,"skip":\[\]\}/, 'saved with its scope now');
});
