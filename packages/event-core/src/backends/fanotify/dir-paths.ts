/**
 * Directory handles → paths: open_by_handle_at against a descriptor on the same file system (one per
 * fsid, opened on a watched root), then readlink of /proc/self/fd/N. Answers are kept in a bounded LRU
 * cache (a Map in insertion order), so a burst in one directory costs one lookup. The backend keeps the
 * cache true: a renamed directory's cached paths move with it, a new directory's path is remembered from
 * its CREATE (so events inside it resolve after it is gone).
 */
import { fstatSync, readlinkSync } from 'node:fs';
import type { ByteString } from '../../model/bytes.js';
import { O_CLOEXEC, O_DIRECTORY, O_PATH, O_RDONLY, close, open, openByHandleAt } from '@inotifykit/sys';
import { asBytes, toCString } from '../../model/bytes.js';
import type { FidRecord } from './decode.js';
import { fidParts } from './decode.js';

const DELETED = ' (deleted)';

export class DirPaths {
  readonly #cache = new Map<ByteString, ByteString>();
  readonly #limit: number;
  /** fsid → a descriptor on that file system (O_PATH will not do: open_by_handle_at rejects it). */
  readonly #mountFds = new Map<ByteString, number>();
  /** The last answer (see resolve()). */
  #lastKey: ByteString | undefined;
  #lastPath: ByteString | undefined;

  constructor(limit = 4096) {
    this.#limit = limit;
  }

  /** Makes handles of this file system resolvable, through a directory on it (a watched root). */
  addFileSystem(fsid: ByteString, dirPath: ByteString): void {
    if (this.#mountFds.has(fsid)) return;
    const fd = open(toCString(dirPath), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) this.#mountFds.set(fsid, fd);
  }

  /** Tells the cache where a handle is (a root, known at mark time). */
  remember(key: ByteString, path: ByteString): void {
    this.#set(key, path);
  }

  /** The cached path only: for an object that may be gone (DELETE_SELF). */
  cached(key: ByteString): ByteString | undefined {
    return this.#cache.get(key);
  }

  /** The absolute path of a directory handle now, or undefined when it cannot be opened (gone, elsewhere). */
  resolve(record: FidRecord): ByteString | undefined {
    // A burst in one directory asks for the same handle again and again: no LRU reshuffle for that.
    if (record.key === this.#lastKey) return this.#lastPath;
    const hit = this.#cache.get(record.key);
    if (hit !== undefined) {
      this.#lastKey = record.key;
      this.#lastPath = hit;
      this.#cache.delete(record.key); // to the young end
      this.#cache.set(record.key, hit);
      return hit;
    }
    const { fsid, handle } = fidParts(record.key);
    const mountFd = this.#mountFds.get(fsid);
    if (mountFd === undefined) return undefined;
    const fd = openByHandleAt(mountFd, handle, O_PATH | O_CLOEXEC);
    if (fd < 0) return undefined;
    let path: ByteString;
    try {
      path = asBytes(readlinkSync(`/proc/self/fd/${fd}`, { encoding: 'buffer' }).toString('latin1'));
      // A directory removed while its events were queued: the kernel appends " (deleted)" to its old
      // path, which is a name only when the directory still has a link.
      if (path.endsWith(DELETED) && fstatSync(fd).nlink === 0) path = asBytes(path.slice(0, -DELETED.length));
    } catch {
      return undefined;
    } finally {
      close(fd);
    }
    if (!path.startsWith('/')) return undefined; // not reachable from our root (another mount namespace)
    this.#set(record.key, path);
    return path;
  }

  forget(key: ByteString): void {
    this.#lastKey = undefined;
    this.#cache.delete(key);
  }

  /** Directory `from` was renamed to `to`: cached paths at or below it move with it. */
  move(from: ByteString, to: ByteString): void {
    this.#lastKey = undefined;
    const below = from + '/';
    for (const [key, path] of this.#cache) {
      if (path === from) this.#cache.set(key, to);
      else if (path.startsWith(below)) this.#cache.set(key, asBytes(to + path.slice(from.length)));
    }
  }

  /** Directory `path` went out of sight (moved out of every tree): what was cached below it is stale. */
  forgetUnder(path: ByteString): void {
    this.#lastKey = undefined;
    const below = path + '/';
    for (const [key, cached] of this.#cache) if (cached === path || cached.startsWith(below)) this.#cache.delete(key);
  }

  #set(key: ByteString, path: ByteString): void {
    this.#lastKey = undefined;
    this.#cache.delete(key);
    this.#cache.set(key, path);
    if (this.#cache.size > this.#limit) this.#cache.delete(this.#cache.keys().next().value!);
  }

  close(): void {
    this.#lastKey = undefined;
    for (const fd of this.#mountFds.values()) close(fd);
    this.#mountFds.clear();
    this.#cache.clear();
  }
}
