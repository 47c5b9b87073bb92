// The engine's tally path (WatcherHandlers.tally): a consumer that only counts gets plain events as watch
// and mask, without event objects; directory events, IGNORED and overflows still come in batches, and a
// filter (which needs the names) turns the path off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Watcher, IN_ALL_EVENTS, IN_CREATE, IN_ISDIR, InotifyBackend } from '@inotifykit/event-core';
import { tempDir, untilReaderReads, waitFor } from './util.mjs';
import { COUNTING_NAP_MS, countingNapMs } from '../../packages/event-core/dist/backends/counting-nap.js';

function counting(t, options = {}, backendOptions = { readerThread: 'never' }) {
  const { dir, cleanup } = tempDir();
  const backend = new InotifyBackend(backendOptions);
  const watcher = new Watcher({ mask: IN_ALL_EVENTS, backend, ...options });
  t.after(async () => {
    await watcher.close();
    cleanup();
  });
  watcher.add(dir);
  const tallied = [];
  const batched = [];
  watcher.start({ batch: (events) => void batched.push(...events), tally: (watch, mask) => void tallied.push([watch.path, mask]) });
  return { dir, backend, tallied, batched };
}

test('plain events come as tallies (watch, mask), a directory event in a batch', async (t) => {
  const { dir, tallied, batched } = counting(t);
  for (let i = 0; i < 5; i++) fs.writeFileSync(`${dir}/f${i}`, 'x');
  await waitFor(() => tallied.length === 5 * 4, 'CREATE, OPEN, MODIFY and CLOSE_WRITE of each file');
  // Alone in its read: a read with a directory record in it goes the long way, all of it.
  fs.mkdirSync(`${dir}/sub`);
  await waitFor(() => batched.some((e) => e.name === 'sub'), 'the directory CREATE');
  assert.ok(tallied.every(([path]) => path === `${dir}/`));
  assert.equal(tallied.filter(([, mask]) => mask === IN_CREATE).length, 5);
  assert.deepEqual(batched.map((e) => [e.name, e.mask]), [['sub', IN_CREATE | IN_ISDIR]], 'no file event in a batch');
});

test('ring batches read by the reader thread are tallied too, every one, in a burst', async (t) => {
  const { dir, backend, tallied, batched } = counting(t, {}, { readerThread: 'always', handBackMs: Infinity });
  const made = await untilReaderReads(backend, dir);
  const burst = 20000;
  for (let i = 0; i < burst; i++) fs.closeSync(fs.openSync(`${dir}/b${i}`, 'w'));
  await waitFor(() => tallied.length === (made + burst) * 3, `CREATE, OPEN and CLOSE_WRITE of each of ${made + burst} files`, 20000);
  assert.equal(backend.readingThread, 'reader');
  assert.equal(batched.length, 0);
});

test('auto: bursts taken as counts are read by the main thread, without the reader thread', async (t) => {
  const { dir, backend, tallied, batched } = counting(t, {}, { readerThread: 'auto', handBackMs: Infinity });
  // The bursts untilReaderReads makes (300 files at once, 20 ms apart): before, the first one started the
  // reader thread and a later one was handed to it, within a few rounds.
  let files = 0;
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 300; i++) fs.closeSync(fs.openSync(`${dir}/c${round}-${i}`, 'w'));
    files += 300;
    // The spacing is the scenario (separate bursts, as untilReaderReads makes them), not a wait for them.
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(backend.readingThread, 'main', `round ${round}`);
  }
  await waitFor(() => tallied.length === files * 3, `CREATE, OPEN and CLOSE_WRITE of each of ${files} files`, 20000);
  assert.equal(tallied.length, files * 3, 'not one more');
  assert.equal(batched.length, 0);
});

test('auto: a burst that must be decoded (new directories) still starts the reader thread', async (t) => {
  const { dir, backend, tallied, batched } = counting(t, {}, { readerThread: 'auto', handBackMs: Infinity });
  // Made at once by this thread, so they queue up and come in one drain: 300 directory records.
  for (let i = 0; i < 300; i++) fs.mkdirSync(`${dir}/d${i}`);
  await waitFor(() => batched.length === 300, 'the directory CREATEs, in batches');
  const made = await untilReaderReads(backend, dir);
  await waitFor(() => tallied.length === made * 3, `CREATE, OPEN and CLOSE_WRITE of each of ${made} files`, 20000);
});

test('the nap between counted reads leaves three quarters of the kernel queue free', () => {
  // 3,000 records in 10 ms: 300 a ms; a quarter of 16,384 lasts 13 ms, so the nap is the longest.
  assert.equal(countingNapMs(3000, 10, 16384), COUNTING_NAP_MS);
  // 2,000 a ms: a quarter lasts 2 ms.
  assert.equal(countingNapMs(20000, 10, 16384), 2);
  // Faster still: never below a millisecond (the nap of any burst).
  assert.equal(countingNapMs(100000, 10, 16384), 1);
  // A raised queue: the longest; an unknown one counts as the default.
  assert.equal(countingNapMs(20000, 10, 1 << 20), COUNTING_NAP_MS);
  assert.equal(countingNapMs(20000, 10, undefined), 2);
  // A trickle right after the previous drain (0 ms): the rate is taken over a millisecond.
  assert.equal(countingNapMs(300, 0, 16384), COUNTING_NAP_MS);
});

test('with a filter, everything comes in batches (the filter needs the names)', async (t) => {
  const { dir, tallied, batched } = counting(t, { filter: (path) => !path.endsWith('skip') });
  fs.writeFileSync(`${dir}/skip`, 'x');
  fs.writeFileSync(`${dir}/keep`, 'x');
  await waitFor(() => batched.filter((e) => e.name === 'keep').length === 4, 'the events of keep');
  assert.equal(tallied.length, 0);
  assert.equal(batched.filter((e) => e.name === 'skip').length, 0);
});
