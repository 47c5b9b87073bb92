// A pipe read with a blocking read() on this thread, for latency: the reader sleeps in the kernel and wakes
// on the watcher's write, as a C reader would, instead of going through the event loop (which adds tens
// of µs of its own). Node has no pipe(2), so this is a FIFO opened so that the watcher is its only writer:
// when the watcher dies the read returns end-of-file.
//
// A blocked thread cannot run timers, so a watchdog thread SIGKILLs the watcher if the reader makes no
// progress for `stallMs`; the kill turns the stuck read into end-of-file.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

const WATCHDOG = `
const { workerData: { beat, stallMs } } = require('node:worker_threads');
let last = -1, since = Date.now();
setInterval(() => {
  const pid = Atomics.load(beat, 1);
  const now = Atomics.load(beat, 0);
  if (now !== last) { last = now; since = Date.now(); return; }
  if (pid > 0 && Date.now() - since > stallMs) { try { process.kill(pid, 'SIGKILL'); } catch {} Atomics.store(beat, 1, 0); }
}, 100);
`;

export class BlockingPipe {
  constructor(fifoPath, stallMs = 5000) {
    this.path = fifoPath;
    execFileSync('mkfifo', ['-m', '600', fifoPath]);
    // O_RDWR never blocks on a FIFO; with it open, opening the read end does not block either.
    this.writeFd = fs.openSync(fifoPath, fs.constants.O_RDWR);
    this.readFd = fs.openSync(fifoPath, fs.constants.O_RDONLY);
    this.buf = Buffer.alloc(1 << 16);
    this.pending = '';
    this.lines = [];
    this.beat = new Int32Array(new SharedArrayBuffer(8));
    this.watchdog = new Worker(WATCHDOG, { eval: true, workerData: { beat: this.beat, stallMs } });
    this.watchdog.unref();
  }

  /** Call once the watcher holds the write end: from then on it is the only writer. */
  handOver(pid) {
    fs.closeSync(this.writeFd);
    this.writeFd = null;
    Atomics.store(this.beat, 1, pid);
  }

  /** Blocks until a whole line is there; returns { line, at } (hrtime ns of the read that completed it) or null at EOF. */
  readLine() {
    for (;;) {
      if (this.lines.length) return this.lines.shift();
      Atomics.add(this.beat, 0, 1);
      const n = fs.readSync(this.readFd, this.buf, 0, this.buf.length, null);
      const at = process.hrtime.bigint();
      if (n <= 0) return null;
      const parts = (this.pending + this.buf.toString('latin1', 0, n)).split('\n');
      this.pending = parts.pop();
      for (const line of parts) this.lines.push({ line, at });
    }
  }

  close() {
    Atomics.store(this.beat, 1, 0);
    this.watchdog.terminate();
    if (this.writeFd !== null) fs.closeSync(this.writeFd);
    fs.closeSync(this.readFd);
    fs.rmSync(this.path, { force: true });
  }
}
