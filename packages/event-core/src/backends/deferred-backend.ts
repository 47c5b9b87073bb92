/**
 * A backend whose code is still loading (the parcel backend's, kept off the inotify tools' start-up path):
 * it takes watches at once, under descriptors of its own, and hands them to the real backend once loaded.
 * So `new Watcher({ backend: 'parcel' })` works synchronously, like the inotify one. A watch that fails
 * (ENOENT…) is reported by ready(), which callers of an asynchronous backend await anyway.
 */
import type { ByteString } from '../model/bytes.js';
import type { RawEvent } from '../model/event.js';
import type { EventMask } from '../model/mask.js';
import type { Backend, BackendName, BackendSink, TreeOptions } from './backend.js';

export class DeferredBackend implements Backend {
  #inner: Backend | undefined;
  readonly #loading: Promise<Backend>;
  /** Calls made before the code was loaded, replayed on the real backend in order. */
  readonly #queued: ((backend: Backend) => void)[] = [];
  readonly #failures: unknown[] = [];
  /** Our descriptor → the real one, and back (the first of ours for a real one). */
  readonly #toInner = new Map<number, number>();
  readonly #toOurs = new Map<number, number>();
  #nextWd = 1;

  constructor(
    readonly name: BackendName,
    readonly nativeRecursion: boolean,
    load: () => Promise<Backend>,
  ) {
    this.#loading = load().then((backend) => {
      this.#inner = backend;
      for (const call of this.#queued.splice(0)) call(backend);
      return backend;
    });
    this.#loading.catch(() => {}); // reported by ready()
  }

  #whenLoaded(call: (backend: Backend) => void): void {
    if (this.#inner) call(this.#inner);
    else this.#queued.push(call);
  }

  configure(tree: TreeOptions): void {
    this.#whenLoaded((backend) => backend.configure?.(tree));
  }

  addWatch(path: ByteString, mask: EventMask): number {
    if (this.#inner) return this.#link(this.#nextWd++, this.#inner.addWatch(path, mask));
    const wd = this.#nextWd++;
    this.#queued.push((backend) => {
      try {
        this.#link(wd, backend.addWatch(path, mask));
      } catch (err) {
        this.#failures.push(err);
      }
    });
    return wd;
  }

  #link(ours: number, inner: number): number {
    const known = this.#toOurs.get(inner);
    if (known !== undefined && this.#inner) return known;
    this.#toInner.set(ours, inner);
    if (known === undefined) this.#toOurs.set(inner, ours);
    return ours;
  }

  removeWatch(wd: number): void {
    this.#whenLoaded((backend) => {
      const inner = this.#toInner.get(wd);
      if (inner !== undefined) backend.removeWatch(inner);
    });
  }

  readNow(): void {
    this.#inner?.readNow?.();
  }

  start(sink: BackendSink): void {
    const ours = (records: RawEvent[]): RawEvent[] =>
      records.map((r) => (r.wd === -1 ? r : { ...r, wd: this.#toOurs.get(r.wd) ?? r.wd }));
    this.#whenLoaded((backend) =>
      backend.start({ records: (records) => sink.records(ours(records)), idle: () => sink.idle(), error: (err) => sink.error(err) }),
    );
  }

  async ready(): Promise<void> {
    const backend = await this.#loading;
    if (this.#failures.length > 0) throw this.#failures[0];
    await backend.ready?.();
  }

  async close(): Promise<void> {
    const backend = this.#inner ?? (await this.#loading.catch(() => undefined));
    await backend?.close();
  }
}
