// The reader thread: once it has taken over, the kernel queue is drained even while the main thread is
// blocked, so a burst bigger than the kernel queue is not lost. Same burst without it: the queue overflows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Watcher, IN_CREATE, IN_Q_OVERFLOW } from '@inotifykit/event-core';
import { InotifyBackend } from '@inotifykit/event-core';
import { assertExitsWithin, exitDelay, readSysctl, tempDir, waitFor } from './util.mjs';

const queue = Number(readSysctl('max_queued_events'));
const skip = queue > 65536 && `max_queued_events is ${queue}: the burst would be too long`;

/** A watcher on a fresh dir with the given reader policy; events are collected. */
function watch(t, readerThread) {
  const { dir, cleanup } = tempDir();
  const backend = new InotifyBackend({ readerThread });
  const watcher = new Watcher({ mask: IN_CREATE, backend });
  t.after(async () => {
    await watcher.close();
    cleanup();
  });
  watcher.add(dir);
  const events = [];
  watcher.start({ batch: (evs) => void events.push(...evs) });
  return { dir, backend, events };
}

/** Files made by another process while this one's main thread is blocked (spawnSync waits). */
function burstWhileBlocked(dir, count) {
  const script = `const fs = require('fs'); for (let i = 0; i < ${count}; i++) fs.closeSync(fs.openSync(process.argv[1] + '/b' + i, 'w'));`;
  const r = spawnSync(process.execPath, ['-e', script, dir]);
  assert.equal(r.status, 0, r.stderr?.toString());
}

test('with the reader thread reading, a burst bigger than the kernel queue is not lost while the main thread is blocked', { skip }, async (t) => {
  const { dir, backend, events } = watch(t, 'always');
  // The reader takes over between two reads of the main thread, once it has started: keep events coming.
  let i = 0;
  await waitFor(() => {
    fs.writeFileSync(`${dir}/warm${i++}`, '');
    return backend.readingThread === 'reader';
  }, 'the reader thread takes over');
  await waitFor(() => events.length === i, 'the warm-up events');
  const burst = queue + 4096;
  burstWhileBlocked(dir, burst);
  await waitFor(() => events.length >= i + burst || events.some((e) => e.mask & IN_Q_OVERFLOW), 'the burst', 30000);
  assert.equal(events.filter((e) => e.mask & IN_Q_OVERFLOW).length, 0, 'no overflow');
  assert.equal(events.length, i + burst);
  assert.deepEqual(events.slice(i).map((e) => e.name), Array.from({ length: burst }, (_, n) => `b${n}`), 'all of them, in order');
});

test('without it, the same burst overflows the kernel queue (what the reader thread prevents)', { skip }, async (t) => {
  const { dir, backend, events } = watch(t, 'never');
  const burst = queue + 4096;
  burstWhileBlocked(dir, burst);
  await waitFor(() => events.some((e) => e.mask & IN_Q_OVERFLOW), 'the overflow', 30000);
  assert.equal(backend.readingThread, 'main');
  assert.ok(events.length < burst, `${events.length} events of ${burst}`);
});

test('auto: a burst starts the reader thread, which then reads; close() ends it', { skip }, async (t) => {
  const { dir, backend, events } = watch(t, 'auto');
  burstWhileBlocked(dir, 2000);
  let i = 0;
  await waitFor(() => {
    fs.writeFileSync(`${dir}/after${i++}`, '');
    return backend.readingThread === 'reader';
  }, 'the reader thread takes over after a burst');
  await waitFor(() => events.length === 2000 + i, 'every event, read by either thread');
  assert.deepEqual(events.slice(2000).map((e) => e.name), Array.from({ length: i }, (_, n) => `after${n}`));
});

for (const how of ['close', 'exit']) {
  test(`with the reader thread reading, the process exits within 100 ms of ${how === 'close' ? 'close()' : 'process.exit()'}`, async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    await assertExitsWithin(100, () => exitDelay(dir, how, { reader: true }));
  });
}
