// New directories watched at read time, on either thread that reads the kernel queue (the main thread, or
// the reader thread): under a CLOSE_WRITE-only mask every file written into a fresh tree is delivered exactly
// once, and the CREATE/MOVED_* the engine needs from the kernel to follow the tree are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { IN_CLOSE_WRITE, InotifyBackend } from '@inotifykit/event-core';
import { collect, tempDir, untilReaderReads, waitFor } from './util.mjs';

for (const thread of ['main', 'reader']) {
  test(`CLOSE_WRITE only, read by the ${thread} thread: every file of 20 new trees, nothing else`, async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    // Infinity: the reader does not hand reading back between the bursts of this test.
    const backend = new InotifyBackend({ readerThread: thread === 'reader' ? 'always' : 'never', handBackMs: Infinity });
    const c = collect([dir], { recursive: true, mask: IN_CLOSE_WRITE, backend });
    t.after(() => c.watcher.close());
    const made = thread === 'reader' ? await untilReaderReads(backend, dir) : 0;
    await waitFor(() => c.events.length === made, 'the take-over bursts');
    const ticks = c.events.length;
    const script = Array.from({ length: 20 }, (_, i) => `mkdir -p n${i}/a/b && echo f > n${i}/a/b/f && echo g > n${i}/g`).join('\n');
    assert.equal(spawnSync('sh', ['-ec', script], { cwd: dir }).status, 0);
    const written = (e) => `${e.watchPath}${e.name}`;
    const want = Array.from({ length: 20 }, (_, i) => [`${dir}/n${i}/a/b/f`, `${dir}/n${i}/g`]).flat();
    await waitFor(() => want.every((p) => c.events.some((e) => written(e) === p)), 'a CLOSE_WRITE for every file', 20000);
    // Every writer has closed its file: one CLOSE_WRITE each, no more (what the rescan holds back is out
    // at the idle after the queue is drained).
    await c.watcher.whenDrained();
    await c.watcher.whenDrained();
    const times = (p) => c.events.filter((e) => written(e) === p).length;
    assert.deepEqual(want.filter((p) => times(p) !== 1), [], 'files without exactly one CLOSE_WRITE');
    assert.equal(backend.readingThread, thread);
    for (const e of c.events.slice(ticks)) assert.equal(e.mask, IN_CLOSE_WRITE, `${written(e)}: ${e.mask}`);
  });
}

// Issue #16: per-directory state must go with the directory. Trees are made, written, renamed inside the
// tree, moved out and removed, 200 times; then the watch table and both threads' tables of followed
// directories hold only what still exists (the root and `keep/`), and so do the kernel's watches,
// whichever thread reads. (A directory moved out before the engine could watch it kept the reading thread's
// watch and entry for good.)
for (const thread of ['main', 'reader']) {
  test(`read by the ${thread} thread: nothing per directory outlives it (watches, followed directories)`, async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const outside = fs.mkdtempSync(`${dir}-out`);
    t.after(() => fs.rmSync(outside, { recursive: true, force: true }));
    fs.mkdirSync(`${dir}/keep`);
    // Infinity: the reader does not hand reading back during the test.
    const backend = new InotifyBackend({ readerThread: thread === 'reader' ? 'always' : 'never', handBackMs: Infinity });
    const c = collect([dir], { recursive: true, backend });
    t.after(() => c.watcher.close());
    if (thread === 'reader') await untilReaderReads(backend, dir);
    const script = Array.from({ length: 200 }, (_, i) => [
      `mkdir -p a${i}/b/c && echo x > a${i}/b/f && mv a${i} r${i} && rm -rf r${i}`,
      `mkdir d${i} && rmdir d${i}`,
      `mkdir -p m${i}/n && mv m${i} '${outside}/m${i}'`,
    ].join('\n')).join('\n');
    assert.equal(spawnSync('sh', ['-ec', script], { cwd: dir }).status, 0);
    // The reader thread takes the engine's word at its next read, and counts at the empty queue after it.
    // Each look is after a read of a new event (a sentinel file's CREATE, delivered), not after a pause.
    let ticks = 0;
    const settled = async () => {
      const name = `tick${ticks++}`;
      fs.writeFileSync(`${dir}/${name}`, 'x');
      await waitFor(() => c.events.some((e) => e.name === name), `the CREATE of ${name}`, 20000);
      await c.watcher.whenDrained();
      return c.watcher.watchCount === 2 && backend.followedDirs === 2 && kernelWatches() === 2;
    };
    const deadline = Date.now() + 20000;
    while (!(await settled()) && Date.now() < deadline);
    assert.equal(backend.readingThread, thread);
    assert.deepEqual(
      { watches: c.watcher.watchCount, followed: backend.followedDirs, kernel: kernelWatches() },
      { watches: 2, followed: 2, kernel: 2 },
    );
  });
}

/** This process's inotify watches, as the kernel lists them (/proc/self/fdinfo; one instance per test). */
function kernelWatches() {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fdinfo')) {
    try {
      n += (fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1').match(/^inotify wd:/gm) ?? []).length;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}
