// Line-at-a-time reading of a child's pipe, with deadlines instead of hopeful sleeps.

export class TimeoutError extends Error {}

export class LineReader {
  /** @param {import('node:stream').Readable} stream */
  constructor(stream) {
    this.queue = [];
    this.partial = '';
    this.ended = false;
    this.waiter = null;
    /** hrtime (ns, bigint) at which each queued line arrived, for latency measurement. */
    this.arrivals = [];
    stream.setEncoding('latin1');
    stream.on('data', (chunk) => {
      const now = process.hrtime.bigint();
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop();
      for (const p of parts) {
        this.queue.push(p);
        this.arrivals.push(now);
      }
      this.wake();
    });
    stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
    stream.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  wake() {
    const w = this.waiter;
    if (w && (this.queue.length > 0 || this.ended)) {
      this.waiter = null;
      w();
    }
  }

  /** Next line (without '\n'), or null at end of stream; rejects with TimeoutError after `ms`. */
  async next(ms) {
    const entry = await this.nextTimed(ms);
    return entry === null ? null : entry.line;
  }

  /** Like next(), with the hrtime at which the line's chunk arrived. */
  nextTimed(ms) {
    if (this.queue.length > 0) return Promise.resolve({ line: this.queue.shift(), at: this.arrivals.shift() });
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new TimeoutError(`no line within ${ms} ms`));
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(this.nextTimed(0));
      };
    });
  }

  /** Reads lines until one satisfies `pred`; returns it, or null at end of stream. */
  async until(pred, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = await this.next(Math.max(1, deadline - Date.now()));
      if (line === null || pred(line)) return line;
    }
  }
}
