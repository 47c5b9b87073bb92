/**
 * Directory renames, paired by cookie: a pair rewrites the paths of every nested watch; a MOVED_FROM still
 * unpaired when the queue is drained means the directory left the tree, and all its watches go.
 */
import { asBytes } from '../model/bytes.js';
import type { Backend } from '../backends/backend.js';
import type { ByteString } from '../model/bytes.js';
import type { Watch, WatchTable } from './watch-table.js';

export class MoveTracker {
  /** MOVED_FROM of a watched directory, by cookie, waiting for its MOVED_TO: the old directory path. */
  readonly #pending = new Map<number, ByteString>();

  constructor(
    private readonly table: WatchTable,
    private readonly backend: Backend,
  ) {}

  movedFrom(watch: Watch, name: ByteString, cookie: number): void {
    const oldDir = asBytes(watch.path + name + '/');
    if (this.table.byPath(oldDir)) this.#pending.set(cookie, oldDir);
  }

  /** True when this MOVED_TO completes a rename inside the tree (the watches follow); false: moved in. */
  movedTo(watch: Watch, name: ByteString, cookie: number): boolean {
    const oldDir = this.#pending.get(cookie);
    if (oldDir === undefined) return false;
    this.#pending.delete(cookie);
    this.table.rename(oldDir, asBytes(watch.path + name + '/'));
    return true;
  }

  /** The queue is drained: what is still unpaired was moved out of the tree. */
  settle(): void {
    for (const oldDir of this.#pending.values()) {
      for (const watch of this.table.under(oldDir)) {
        if (watch.dropped) continue;
        watch.dropped = true;
        this.backend.removeWatch(watch.wd);
      }
    }
    this.#pending.clear();
  }
}
