// Limits and lifecycle against the real kernel: queue overflow, the watch limit, backpressure, exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Watcher, IN_ALL_EVENTS, IN_CREATE, IN_Q_OVERFLOW, WatchLimitError } from '@inotifykit/event-core';
import { EXIT_BOUND_MS, assertExitsWithin, exitDelay, isRoot, readSysctl, tempDir, waitFor, writeSysctl } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Adds `dir` to `watcher` and starts it, collecting the events (or handing each batch to `batch`);
 * the watcher is closed after the test.
 */
function startCollecting(t, watcher, dir, batch) {
  t.after(() => watcher.close());
  watcher.add(dir);
  const events = [];
  watcher.start({ batch: batch ?? ((evs) => void events.push(...evs)) });
  return events;
}

/**
 * A watcher whose kernel queue overflows when `burst` events are made while the main thread is busy.
 * With the default queue (16384) the burst is just bigger than the queue, and no global setting changes.
 * Only a queue raised far beyond that is lowered for the moment the instance is created (root only).
 */
function overflowingWatcher(options) {
  const queue = Number(readSysctl('max_queued_events'));
  if (queue <= 65536) return { watcher: new Watcher(options), burst: queue + 64 };
  if (!isRoot) return { skip: `max_queued_events is ${queue}; lowering it needs root` };
  let watcher;
  try {
    writeSysctl('max_queued_events', 1024);
    watcher = new Watcher(options);
  } finally {
    writeSysctl('max_queued_events', queue);
  }
  return { watcher, burst: 1024 + 64 };
}

/** Watches `dir` with a queue that `fill()` overflows (the main thread stays busy meanwhile, so nothing is read). */
function watchToOverflow(t, dir, options) {
  const { watcher, burst, skip } = overflowingWatcher(options);
  if (skip) return { skip };
  const events = startCollecting(t, watcher, dir);
  const fill = () => {
    for (let i = 0; i < burst; i++) fs.closeSync(fs.openSync(`${dir}/f${i}`, 'w'));
  };
  return { watcher, events, burst, fill };
}

test('queue overflow is delivered as an event, never silent', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { events, burst, fill, skip } = watchToOverflow(t, dir, { mask: IN_CREATE });
  if (skip) return t.skip(skip);
  fill();
  await waitFor(() => events.some((e) => e.mask & IN_Q_OVERFLOW), 'Q_OVERFLOW event');
  const overflow = events.find((e) => e.mask & IN_Q_OVERFLOW);
  assert.equal(overflow.wd, -1);
  assert.equal(overflow.watchPath, '');
  assert.equal(events.filter((e) => e.mask === IN_CREATE).length, burst - 64, 'the events before the overflow are all there');
});

test('the watch limit: a typed error naming the path and the sysctl to raise', { skip: spawnSync('unshare', ['-Ur', 'true']).status !== 0 && 'needs unshare -Ur (user namespaces)' }, (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  for (const sub of ['a', 'b', 'c', 'd', 'e']) fs.mkdirSync(path.join(dir, sub));
  // A user namespace of our own has its own inotify watch limit, so lowering it affects nobody else.
  const script = `echo 3 > /proc/sys/user/max_inotify_watches && exec "${process.execPath}" "${here}/fixtures/watch-tree.mjs" "$1"`;
  const r = spawnSync('unshare', ['-Ur', 'sh', '-c', script, 'sh', dir], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr,
    `WatchLimitError\nFailed to watch ${dir}; upper limit on inotify watches reached!\n` +
    "Please increase the amount of inotify watches allowed per user via `/proc/sys/fs/inotify/max_user_watches'.\n" +
    `current limit: ${readSysctl('max_user_watches')}\n`);
  assert.ok(WatchLimitError);
});

test('a slow consumer pauses reading: later events wait in the kernel queue', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const batches = [];
  let release;
  startCollecting(t, new Watcher({ mask: IN_CREATE }), dir, (evs) => {
    batches.push(evs);
    if (batches.length === 1) return new Promise((r) => (release = r));
  });
  fs.writeFileSync(`${dir}/first`, '');
  await waitFor(() => batches.length === 1, 'first batch');
  for (let i = 0; i < 100; i++) fs.writeFileSync(`${dir}/f${i}`, '');
  // Give the engine every chance to read more; it must not while the first batch is unfinished.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.equal(batches.length, 1, 'no read while the consumer is busy');
  release();
  await waitFor(() => batches.flat().length === 101, 'all events after release');
});

test('events() is an async iterable of the same stream', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const watcher = new Watcher({ mask: IN_ALL_EVENTS });
  watcher.add(dir);
  const iterator = watcher.events();
  fs.writeFileSync(`${dir}/x`, '');
  const seen = [];
  for await (const event of iterator) {
    seen.push(event.mask);
    if (seen.length === 3) break; // CREATE OPEN CLOSE_WRITE; break closes the watcher
  }
  assert.deepEqual(seen, [0x100, 0x20, 0x8]);
  cleanup();
});

for (const how of ['close', 'exit']) {
  test(`a process with a live watch exits within 500 ms of ${how === 'close' ? 'close()' : 'process.exit()'}`, async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    await assertExitsWithin(EXIT_BOUND_MS, () => exitDelay(dir, how));
  });
}

test('close() during a burst pause releases the fds once: a new watcher opened next keeps working', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const first = new Watcher({ mask: IN_CREATE });
  first.add(dir);
  let seen = 0;
  first.start({ batch: (evs) => void (seen += evs.length) });
  for (let i = 0; i < 400; i++) fs.writeFileSync(`${dir}/burst${i}`, '');
  await waitFor(() => seen === 400, 'the burst');
  await first.close(); // the engine is napping between burst reads now
  const events = startCollecting(t, new Watcher({ mask: IN_CREATE }), dir); // the second watcher
  // At once: a stale read of the first watcher's (reused) fd would take this event.
  fs.writeFileSync(`${dir}/at-once`, '');
  await waitFor(() => events.some((e) => e.name === 'at-once'), 'an event on the second watcher at once');
  // And after any timer the first watcher left: its naps last 10 ms at most (inotify-backend.ts), and Node
  // runs timers in the order they fall due, so one of 20 ms set now runs after such a timer. The wait is
  // what is tested (a stale timer that closes the fd again would end the second watcher), not a hope.
  await new Promise((r) => setTimeout(r, 20));
  fs.writeFileSync(`${dir}/after`, '');
  await waitFor(() => events.some((e) => e.name === 'after'), 'an event on the second watcher after the stale timers');
});

test('flush() delivers what is queued at once, before the poll wakes up', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const watcher = new Watcher({ mask: IN_CREATE });
  const events = startCollecting(t, watcher, dir);
  for (let i = 0; i < 10; i++) fs.writeFileSync(`${dir}/f${i}`, '');
  watcher.flush(); // synchronous: no turn of the event loop in between
  assert.equal(events.length, 10);
});

test('recoverOverflow: directories made during an overflow are watched and reported afterwards', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  fs.mkdirSync(`${dir}/gone`);
  const { watcher, events, fill, skip } = watchToOverflow(t, dir, { mask: IN_ALL_EVENTS, recursive: true, recoverOverflow: true });
  if (skip) return t.skip(skip);
  fill();
  fs.mkdirSync(`${dir}/late/deeper`, { recursive: true });
  fs.writeFileSync(`${dir}/late/deeper/file`, '');
  fs.rmdirSync(`${dir}/gone`);
  await waitFor(() => events.some((e) => e.name === 'file' && e.synthetic), 'the late file, reported after recovery');
  assert.ok(events.some((e) => e.mask & IN_Q_OVERFLOW));
  const paths = [...watcher.watches()].map((w) => w.path).sort();
  assert.deepEqual(paths, [`${dir}/`, `${dir}/late/`, `${dir}/late/deeper/`]);
  fs.writeFileSync(`${dir}/late/deeper/live`, '');
  await waitFor(() => events.some((e) => e.name === 'live' && !e.synthetic), 'live events in the recovered directory');
});

test('whenDrained() resolves once what is queued has been delivered, also when nothing is', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const watcher = new Watcher({ mask: IN_CREATE });
  const events = startCollecting(t, watcher, dir);
  await watcher.whenDrained(); // idle in poll(): must not wait for an event that never comes
  for (let i = 0; i < 5; i++) fs.writeFileSync(`${dir}/f${i}`, '');
  await watcher.whenDrained();
  assert.equal(events.length, 5, 'everything queued before the call was delivered');
});
