// The reader thread: once it has taken over (in a burst), the kernel queue is drained even while the main
// thread is blocked, so a burst bigger than the kernel queue is not lost. Same burst without it: the queue
// overflows. Between bursts it hands reading back to the main thread, whose event loop waits on the fd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Watcher, IN_CREATE, IN_Q_OVERFLOW } from '@inotifykit/event-core';
import { InotifyBackend } from '@inotifykit/event-core';
import { EXIT_BOUND_MS, assertExitsWithin, burstWhileBlocked, collect, exitDelay, readSysctl, tempDir, untilReaderReads, waitFor } from './util.mjs';

const queue = Number(readSysctl('max_queued_events'));
const skip = queue > 65536 && `max_queued_events is ${queue}: the burst would be too long`;

/** A watcher on a fresh dir with these backend options; events are collected. */
function watch(t, options) {
  const { dir, cleanup } = tempDir();
  const backend = new InotifyBackend(options);
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

const names = (events) => events.map((e) => e.name);
const numbered = (prefix, count) => Array.from({ length: count }, (_, n) => `${prefix}${n}`);

test('with the reader thread reading, a burst bigger than the kernel queue is not lost while the main thread is blocked', { skip }, async (t) => {
  const { dir, backend, events } = watch(t, { readerThread: 'always', handBackMs: Infinity });
  const made = await untilReaderReads(backend, dir);
  await waitFor(() => events.length === made, 'the take-over bursts');
  const burst = queue + 4096;
  burstWhileBlocked(dir, burst);
  await waitFor(() => events.length >= made + burst || events.some((e) => e.mask & IN_Q_OVERFLOW), 'the burst', 30000);
  assert.equal(events.filter((e) => e.mask & IN_Q_OVERFLOW).length, 0, 'no overflow');
  assert.equal(events.length, made + burst);
  assert.deepEqual(names(events.slice(made)), numbered('b', burst), 'all of them, in order');
});

test('without it, the same burst overflows the kernel queue (what the reader thread prevents)', { skip }, async (t) => {
  const { dir, backend, events } = watch(t, { readerThread: 'never' });
  const burst = queue + 4096;
  burstWhileBlocked(dir, burst);
  await waitFor(() => events.some((e) => e.mask & IN_Q_OVERFLOW), 'the overflow', 30000);
  assert.equal(backend.readingThread, 'main');
  assert.ok(events.length < burst, `${events.length} events of ${burst}`);
});

test('auto: a burst starts the reader thread, which then reads in the next burst', { skip }, async (t) => {
  const { dir, backend, events } = watch(t, { readerThread: 'auto', handBackMs: Infinity });
  burstWhileBlocked(dir, 2000, 'first');
  await waitFor(() => events.length === 2000, 'the first burst, read by the main thread');
  assert.equal(backend.readingThread, 'main');
  const made = await untilReaderReads(backend, dir);
  await waitFor(() => events.length === 2000 + made, 'every event, read by either thread');
  assert.deepEqual(names(events.slice(0, 2000)), numbered('first', 2000));
});

test('by default, between bursts the main thread reads, woken by its own event loop; the reader hands back and takes over again, in order', async (t) => {
  const saved = process.env.INOTIFYKIT_MAIN_WAIT;
  delete process.env.INOTIFYKIT_MAIN_WAIT;
  let w;
  try {
    w = watch(t, { readerThread: 'always', handBackMs: 50 });
  } finally {
    if (saved === undefined) delete process.env.INOTIFYKIT_MAIN_WAIT;
    else process.env.INOTIFYKIT_MAIN_WAIT = saved;
  }
  const { dir, backend, events } = w;
  assert.equal(backend.mainWait, 'loop');
  const expected = [];
  for (let round = 0; round < 2; round++) {
    const made = await untilReaderReads(backend, dir, `r${round}-`);
    await waitFor(() => events.length === expected.length + made, 'the bursts');
    expected.push(...names(events.slice(expected.length)));
    await waitFor(() => backend.readingThread === 'main', 'the reader thread to hand reading back');
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(`${dir}/single${round}-${i}`, '');
      expected.push(`single${round}-${i}`);
      await waitFor(() => events.length === expected.length, `single${round}-${i}, read by the main thread`);
      assert.equal(backend.readingThread, 'main');
    }
  }
  assert.deepEqual(names(events), expected);
  assert.equal(new Set(expected).size, expected.length, 'each file once');
});

test('INOTIFYKIT_MAIN_WAIT=poll: the main thread waits through a poll() on a helper thread, and reads the same', async (t) => {
  const saved = process.env.INOTIFYKIT_MAIN_WAIT;
  process.env.INOTIFYKIT_MAIN_WAIT = 'poll';
  let w;
  try {
    w = watch(t, { readerThread: 'always', handBackMs: 50 }); // read at start()
  } finally {
    if (saved === undefined) delete process.env.INOTIFYKIT_MAIN_WAIT;
    else process.env.INOTIFYKIT_MAIN_WAIT = saved;
  }
  const { dir, backend, events } = w;
  assert.equal(backend.mainWait, 'poll');
  fs.writeFileSync(`${dir}/one`, '');
  await waitFor(() => events.length === 1, 'the first event');
  const made = await untilReaderReads(backend, dir);
  await waitFor(() => backend.readingThread === 'main', 'the reader thread to hand reading back');
  fs.writeFileSync(`${dir}/two`, '');
  await waitFor(() => events.length === made + 2, 'every event');
  assert.equal(events.at(-1).name, 'two');
});

for (const how of ['close', 'exit']) {
  test(`with the reader thread reading, the process exits within 500 ms of ${how === 'close' ? 'close()' : 'process.exit()'}`, async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    await assertExitsWithin(EXIT_BOUND_MS, () => exitDelay(dir, how, { reader: true }));
  });
}

test('a hand-back gives the followed directories back: new ones watched by the reader are followed by the main thread after it', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const backend = new InotifyBackend({ readerThread: 'always', handBackMs: 50 });
  const c = collect([dir], { recursive: true, backend });
  t.after(() => c.watcher.close());
  await untilReaderReads(backend, dir);
  fs.mkdirSync(`${dir}/n1/n2`, { recursive: true });
  await waitFor(() => c.watcher.watchCount === 3, 'n1 and n2 watched');
  await waitFor(() => backend.readingThread === 'main', 'the reader thread to hand reading back');
  assert.equal(backend.followedDirs, 3, 'the root, n1 and n2, now in the main thread\'s table');
  fs.mkdirSync(`${dir}/n1/n2/n3`);
  fs.writeFileSync(`${dir}/n1/n2/n3/f`, 'x');
  await waitFor(() => c.events.some((e) => e.watchPath === `${dir}/n1/n2/n3/` && e.name === 'f'), 'the file in n3, under a directory the reader had followed');
  assert.equal(backend.readingThread, 'main');
  assert.equal(backend.followedDirs, 4);
});
