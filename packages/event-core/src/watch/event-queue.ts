/**
 * The queue between the engine and the async iterator: any number of pending next() calls, each served in
 * order; end() settles every one of them at once (close(), abort), fail() rejects them. Past `highWater`
 * queued events push() returns a promise, which pauses the engine's reading until the consumer catches up
 * (the kernel queue absorbs the backlog, and reports an overflow when it cannot).
 */
type Waiter<T> = { resolve: (result: IteratorResult<T>) => void; reject: (err: unknown) => void };

export class EventQueue<T> {
  #items: T[] = [];
  #head = 0;
  readonly #waiters: Waiter<T>[] = [];
  #ended = false;
  #failure: { err: unknown } | undefined;
  #resume: (() => void) | undefined;

  constructor(readonly highWater = 4096) {}

  get ended(): boolean {
    return this.#ended;
  }

  push(items: readonly T[]): void | Promise<void> {
    if (this.#ended) return;
    for (const item of items) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve({ value: item, done: false });
      else this.#items.push(item);
    }
    if (this.#items.length - this.#head <= this.highWater) return;
    return new Promise((resolve) => (this.#resume = resolve));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head++]!;
      if (this.#head === this.#items.length) {
        this.#items = [];
        this.#head = 0;
      }
      if (this.#resume && this.#items.length - this.#head <= this.highWater / 2) {
        this.#resume();
        this.#resume = undefined;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#failure) {
      const { err } = this.#failure;
      this.#failure = undefined; // thrown once; the iterator is done after that
      return Promise.reject(err);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** No more events: every pending and later next() is done; events still queued are dropped. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#items = [];
    this.#head = 0;
    this.#resume?.();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  /** Reading failed: a pending next() (or the next one) rejects with `err`, then the queue is ended. */
  fail(err: unknown): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter.reject(err);
    this.end();
    if (!waiter) this.#failure = { err };
  }
}
