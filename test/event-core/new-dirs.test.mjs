// New directories watched at read time, on either thread that reads the kernel queue (the main thread, or
// the reader thread): under a CLOSE_WRITE-only mask every file written into a fresh tree is delivered, and
// the CREATE/MOVED_* the engine needs from the kernel to follow the tree are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
    assert.equal(backend.readingThread, thread);
    for (const e of c.events.slice(ticks)) assert.equal(e.mask, IN_CLOSE_WRITE, `${written(e)}: ${e.mask}`);
  });
}
