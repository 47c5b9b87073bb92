// The event loop's wait on a kernel fd (backends/loop-readable.ts): what libuv calls back with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { LoopReadable } from '../../packages/event-core/dist/backends/loop-readable.js';

test('a readiness whose read finds nothing (libuv\'s EAGAIN) is no end of file', async (t) => {
  // Two descriptors of one pipe, both waited on: a write makes both readable in the same epoll_wait; the
  // first handle's read takes the byte and the second's finds nothing. That second read is what happened
  // to the inotify fd when a synchronous read of ours (readAhead, readNow) emptied the queue between
  // epoll's answer and libuv's read — once taken for an end of file, it ended --since runs.
  const [r, w] = pipePair();
  const r2 = fs.openSync(`/proc/self/fd/${r}`, 'r');
  const calls = [];
  const handles = [r, r2].map((fd, i) => LoopReadable.open(fd, Buffer.alloc(64), (n) => calls.push([i, n])));
  if (handles.some((h) => h === undefined)) return t.skip('this runtime has no pipe_wrap binding');
  t.after(() => handles.forEach((h) => h.close()));
  for (const h of handles) h.start();
  fs.writeSync(w, 'x');
  await waitUntil(() => calls.length > 0);
  await new Promise((resolve) => setImmediate(resolve)); // the rest of that loop turn
  assert.equal(calls.length, 1, JSON.stringify(calls));
  assert.equal(calls[0][1], 1, 'one byte read, by one of the two');
  fs.closeSync(w); // now a real end of file: both are told, with 0
  await waitUntil(() => calls.length === 3);
  assert.deepEqual(calls.slice(1).map(([, n]) => n), [0, 0]);
});

function pipePair() {
  // A named pipe, opened for reading (non-blocking) and then for writing.
  const dir = fs.mkdtempSync('/tmp/ik-lr-');
  const path = `${dir}/p`;
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
  const r = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(path, fs.constants.O_WRONLY);
  fs.rmSync(dir, { recursive: true });
  return [r, w];
}

async function waitUntil(cond) {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
