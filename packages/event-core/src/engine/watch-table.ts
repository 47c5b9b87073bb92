/**
 * The watch table: watch descriptor ↔ path, as the user spelled it. Entries are freed when the kernel says
 * IN_IGNORED, so the table does not grow under mkdir/rmdir churn.
 */
import type { ByteString } from '../model/bytes.js';
import { asBytes } from '../model/bytes.js';

export interface Watch {
  readonly wd: number;
  /** The path as printed for `%w`: as given, with `/` appended for a directory. Renames rewrite it. */
  path: ByteString;
  readonly isDir: boolean;
  /** Part of a recursive tree: new subdirectories are followed. */
  readonly recursive: boolean;
  /** The watch was dropped (its directory moved out of the tree); only its IGNORED is still expected. */
  dropped: boolean;
}

const IS_DIR = 1;
const RECURSIVE = 2;
const DROPPED = 4;

/**
 * A Watch with its three flags in one number: Node's V8 has no pointer compression, so each field is 8
 * bytes, and at 50,000 watches two fewer fields are 0.8 MB.
 */
class WatchEntry implements Watch {
  readonly wd: number;
  path: ByteString;
  #flags: number;

  constructor(wd: number, path: ByteString, isDir: boolean, recursive: boolean) {
    this.wd = wd;
    this.path = path;
    this.#flags = (isDir ? IS_DIR : 0) | (recursive ? RECURSIVE : 0);
  }

  get isDir(): boolean {
    return (this.#flags & IS_DIR) !== 0;
  }

  get recursive(): boolean {
    return (this.#flags & RECURSIVE) !== 0;
  }

  get dropped(): boolean {
    return (this.#flags & DROPPED) !== 0;
  }

  set dropped(dropped: boolean) {
    this.#flags = dropped ? this.#flags | DROPPED : this.#flags & ~DROPPED;
  }
}

export class WatchTable {
  readonly #byWd = new Map<number, Watch>();
  /**
   * path → watch, built on first use: only directory moves, remove() and overflow recovery look paths up,
   * and at 50,000 watches the index is 1.6 MB that most runs never need.
   */
  #byPath: Map<ByteString, Watch> | undefined;

  get size(): number {
    return this.#byWd.size;
  }

  get(wd: number): Watch | undefined {
    return this.#byWd.get(wd);
  }

  byPath(path: ByteString): Watch | undefined {
    return this.#pathIndex().get(path);
  }

  #pathIndex(): Map<ByteString, Watch> {
    if (!this.#byPath) {
      // Later watches win, as when each add() set its path.
      this.#byPath = new Map();
      for (const watch of this.#byWd.values()) this.#byPath.set(watch.path, watch);
    }
    return this.#byPath;
  }

  /**
   * Records a watch. The kernel returns the same wd for the same inode (a re-add, or `d` and `./d`):
   * the first name is kept, as inotify-tools does.
   */
  add(wd: number, path: ByteString, isDir: boolean, recursive: boolean): Watch {
    const existing = this.#byWd.get(wd);
    if (existing && !existing.dropped) return existing;
    if (existing) {
      this.#byWd.delete(wd); // re-inserted below, so iteration order stays the order of adds
      this.#unindex(existing);
    }
    const watch: Watch = new WatchEntry(wd, path, isDir, recursive);
    this.#byWd.set(wd, watch);
    this.#byPath?.set(path, watch);
    return watch;
  }

  delete(wd: number): Watch | undefined {
    const watch = this.#byWd.get(wd);
    if (!watch) return undefined;
    this.#byWd.delete(wd);
    this.#unindex(watch);
    return watch;
  }

  #unindex(watch: Watch): void {
    if (this.#byPath?.get(watch.path) === watch) this.#byPath.delete(watch.path);
  }

  /** Watches at or below a directory path (which ends in `/`). */
  *under(dirPath: ByteString): Iterable<Watch> {
    for (const watch of this.#byWd.values()) if (watch.path.startsWith(dirPath)) yield watch;
  }

  /** A directory was renamed inside the tree: every path under the old prefix moves to the new one. */
  rename(oldDir: ByteString, newDir: ByteString): void {
    const index = this.#pathIndex();
    for (const watch of [...this.under(oldDir)]) {
      this.#unindex(watch);
      watch.path = asBytes(newDir + watch.path.slice(oldDir.length));
      index.set(watch.path, watch);
    }
  }

  values(): IterableIterator<Watch> {
    return this.#byWd.values();
  }
}
