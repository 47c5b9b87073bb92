// The parcel backend and a file made right after its directory (`mkdir n; touch n/y`): a later change to
// the file must be reported, and a file left alone must not get a MODIFY it never had.
//
// The race: parcel's debounce sends the first change after a quiet spell at once, alone (its "create n"),
// and batches what follows for 50 ms. We read n as soon as that first batch arrives and report y from the
// read. parcel, which had already watched n when y was made, reports "create y" too, in its next batch,
// and merges into it whatever happened to y meanwhile: an append made after our report came back as a
// plain "create", taken for a repeat of ours, and dropped. Each iteration sets that order up: a quiet
// spell, mkdir, wait until parcel's inotify watches n (its fdinfo), then create y before the tool reads n.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTool, tempDir, waitFor } from '../../../lib/cli.mjs';

const INOTIFYWAIT = fileURLToPath(new URL('../../../../bin/inotifywait', import.meta.url));
/** parcel's Debounce MAX_WAIT_TIME (500 ms), with a margin: after this long, its next change comes alone. */
const PARCEL_QUIET_MS = 550;
const TOOLS = 2; // tools run side by side (each has its own debounce), to get more iterations in the time
const ITERATIONS = 16; // per tool, half of them appending; before the fix, about every other append was lost

/** Does process `pid` hold an inotify watch on inode `ino`? (/proc/PID/fdinfo lists each `ino:` in hex.) */
function inotifyWatches(pid, ino) {
  const want = ` ino:${ino.toString(16)} `;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:inotify') continue;
      if (fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').includes(want)) return true;
    } catch {
      // the descriptor closed meanwhile
    }
  }
  return false;
}

/** Spins (without yielding) until parcel watches `dir`: the tool cannot read it before we go on. */
function spinUntilWatched(pid, dir) {
  const ino = fs.statSync(dir).ino;
  const deadline = Date.now() + 5000;
  while (!inotifyWatches(pid, ino)) {
    if (Date.now() > deadline) throw new Error(`parcel never watched ${dir}`);
  }
}

async function runTool(t, root) {
  const tool = startTool(INOTIFYWAIT, ['--backend', 'parcel', '-m', '-r', root]);
  t.after(() => tool.kill('SIGKILL'));
  let lastOutput = Date.now();
  tool.child.stdout.on('data', () => (lastOutput = Date.now()));
  await tool.waitStderr('Watches established.', 10000);
  const lines = () => tool.stdout().toString('latin1').split('\n');
  const has = (line) => lines().includes(line);

  for (let i = 0; i < ITERATIONS; i++) {
    const rel = `n${i}`;
    const append = i % 2 === 0;
    await waitFor(() => Date.now() - lastOutput >= PARCEL_QUIET_MS, 'a quiet spell', 10000);
    fs.mkdirSync(`${root}/${rel}`);
    spinUntilWatched(tool.pid, `${root}/${rel}`);
    fs.writeFileSync(`${root}/${rel}/y`, '');
    await tool.waitStdout(`${root}/ CREATE ${rel}/y\n`, 5000);
    if (!append) continue;
    fs.appendFileSync(`${root}/${rel}/y`, 'more');
    await waitFor(() => has(`${root}/ MODIFY ${rel}/y`), () => `MODIFY ${rel}/y (iteration ${i}); got:\n${lines().join('\n')}`, 3000);
  }
  // Settled: the last batches are in (a quiet spell), and what was not appended to was created once only.
  await waitFor(() => Date.now() - lastOutput >= PARCEL_QUIET_MS, 'a quiet spell', 10000);
  for (let i = 1; i < ITERATIONS; i += 2) {
    const about = lines().filter((l) => l.endsWith(` n${i}/y`));
    assert.deepEqual(about, [`${root}/ CREATE n${i}/y`], `n${i}/y was only created`);
  }
}

test('a file made right after its directory: a later append is reported, and an untouched one is created once', { timeout: 60000 }, async (t) => {
  const base = fs.realpathSync(tempDir(t));
  const roots = Array.from({ length: TOOLS }, (_, k) => path.join(base, `w${k}`));
  for (const root of roots) fs.mkdirSync(root);
  await Promise.all(roots.map((root) => runTool(t, root)));
});
