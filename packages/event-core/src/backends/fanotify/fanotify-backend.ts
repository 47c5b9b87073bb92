/**
 * The fanotify backend: one fanotify group (FAN_CLASS_NOTIF, directory fid + name + object fid), its
 * events turned into inotify-shaped records so the engine, filters and formats work unchanged, plus the
 * pid (and, while the process lives, its comm and uid) of whoever caused each one.
 *
 * Marks:
 * - Not recursive: an inode mark per watched path, with FAN_EVENT_ON_CHILD on directories, as inotify
 *   watches. Events are matched to watches by file handle, never by path.
 * - Recursive (`-r`, `-S`): ONE filesystem mark per file system holding a root, whatever the tree's size:
 *   no walk, no per-directory kernel object, no watch limit, and no race with new directories (an entry
 *   of a directory made a microsecond ago is reported like any other). Each event's directory handle is
 *   resolved to a path (dir-paths.ts, cached) and kept when it lies under a root. `%w` is then the root
 *   as the user spelled it plus the directory below it, as inotifywait -r prints (nativeRecursion, with
 *   `dir` set on the record). Each root also gets an inode mark for its own DELETE_SELF and MOVE_SELF.
 * - FAN_RENAME (5.17) gives both names of a rename in one event; it becomes a MOVED_FROM and a MOVED_TO
 *   with one cookie (either alone when the other side is outside every tree). Older kernels get the two
 *   separate events, without a cookie.
 *
 * Events merged by the kernel (OPEN, MODIFY and CLOSE_WRITE of one file, unread) stay one record with
 * all their bits: the order between them is not known. Events caused by this process are dropped.
 *
 * Reading: the inotify backend's main-thread loop (drain-loop.ts): the event loop waits on the fanotify fd
 * (one wake-up per event), non-blocking reads until EAGAIN, a millisecond's nap between reads in a burst.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import type { Backend, BackendSink, TreeOptions } from '../backend.js';
import type { ByteString } from '../../model/bytes.js';
import { asBytes, toBuffer, toCString } from '../../model/bytes.js';
import type { RawEvent } from '../../model/event.js';
import { SystemError, WatchError } from '../../model/errors.js';
import type { EventMask } from '../../model/mask.js';
import {
  IN_DONT_FOLLOW, IN_IGNORED, IN_ISDIR, IN_MOVED_FROM, IN_MOVED_TO, IN_ONLYDIR,
  IN_Q_OVERFLOW, asMask,
} from '../../model/mask.js';
import {
  AT_FDCWD, AT_SYMLINK_FOLLOW, CAP_SYS_ADMIN, EINVAL, EMFILE, ENODEV, EOPNOTSUPP, EOVERFLOW, EXDEV,
  FAN_CLASS_NOTIF, FAN_CLOEXEC, FAN_CREATE, FAN_DELETE, FAN_DELETE_SELF, FAN_EVENT_ON_CHILD, FAN_MARK_ADD, FAN_MARK_DONT_FOLLOW,
  FAN_MARK_FILESYSTEM, FAN_MARK_ONLYDIR, FAN_MARK_REMOVE, FAN_MOVE_SELF, FAN_MOVED_FROM, FAN_MOVED_TO, FAN_NONBLOCK,
  FAN_ONDIR, FAN_Q_OVERFLOW, FAN_RENAME, FAN_REPORT_DFID_NAME, FAN_REPORT_FID, FAN_REPORT_TARGET_FID, O_CLOEXEC, O_RDONLY,
  errno as lastErrno, fanotifyInit, fanotifyMark, hasCapability, nameToHandleAt, statfs, strerror,
} from '@inotifykit/sys';
import { DrainLoop } from '../drain-loop.js';
import { queueLimit } from '../queue-limit.js';
import { decodeEvents } from './decode.js';
import type { FanEvent, FidRecord } from './decode.js';
import { DirPaths } from './dir-paths.js';
import { FanotifyInitError, MarkError, fileSystemName, missingCapability } from './errors.js';
import { ProcessInfoBatch } from './process-info.js';

const READ_BUFFER_SIZE = 256 * 1024;
const NONE = asBytes('');
/** The events fanotify shares with inotify, bit for bit (ACCESS … MOVE_SELF). */
const SHARED_BITS = 0xfff;
const MOVES = FAN_MOVED_FROM | FAN_MOVED_TO;
const SELF_BITS = FAN_DELETE_SELF | FAN_MOVE_SELF;
/** Events on a directory entry (reported on the directory, with the entry's name). */
const DIRENT_BITS = FAN_CREATE | FAN_DELETE | MOVES;

export interface FanotifyBackendOptions {
  /** Look up comm and uid of each event's process (default true; the pid is always there). */
  readonly processInfo?: boolean;
}

interface Root {
  readonly wd: number;
  readonly key: ByteString;
  readonly record: FidRecord;
  /** The path as given, NUL-terminated, to remove the mark by. */
  readonly cpath: Buffer;
  /** Absolute, symlinks resolved; renames of the root itself update it. */
  real: ByteString;
  readonly isDir: boolean;
  readonly recursive: boolean;
  mask: number;
  /** `@` exclusions below this root, relative, ending in '/'. */
  readonly skip: ByteString[];
}

export class FanotifyBackend implements Backend {
  readonly name = 'fanotify' as const;
  readonly nativeRecursion = true;
  /** fs.fanotify.max_queued_events when the group was made (the kernel copies it then). */
  readonly queueLimit: number | undefined;
  readonly #fd: number;
  readonly #readBuf = Buffer.allocUnsafeSlow(READ_BUFFER_SIZE);
  readonly #paths = new DirPaths();
  readonly #processInfo: boolean;
  readonly #roots = new Map<number, Root>();
  /** Roots by the key of their object: self events, and entries of non-recursive directory roots. */
  readonly #byKey = new Map<ByteString, Root>();
  #recursiveRoots: Root[] = [];
  #recursive = false;
  #excludeDirs: ByteString[] = [];
  #renameSupported = true;
  #nextWd = 1;
  #cookie = 0;
  /** Who caused the event being translated (its records carry it). */
  #pid = 0;
  #comm: ByteString | undefined;
  #uid: number | undefined;
  readonly #loop: DrainLoop;
  #sink: BackendSink | undefined;
  #closed = false;

  /** Throws FanotifyInitError: no CAP_SYS_ADMIN, a kernel without name reporting (< 5.9), too many groups. */
  constructor(options: FanotifyBackendOptions = {}) {
    this.#processInfo = options.processInfo ?? true;
    // Unprivileged fanotify (5.13) exists, but hides other processes' pids and cannot open handles.
    if (!hasCapability(CAP_SYS_ADMIN)) throw missingCapability();
    const flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME;
    // The entry's own fid on directory-entry events too (5.17), else the object's fid (5.9), else names only.
    let fd = -1;
    for (const extra of [FAN_REPORT_FID | FAN_REPORT_TARGET_FID, FAN_REPORT_FID, 0]) {
      fd = fanotifyInit(flags | extra, O_RDONLY | O_CLOEXEC);
      if (fd >= 0 || lastErrno() !== EINVAL) break;
    }
    if (fd < 0) {
      const errno = lastErrno();
      const why =
        errno === EINVAL ? 'fanotify reports file names since Linux 5.9' :
        errno === EMFILE ? 'too many fanotify groups: see /proc/sys/fs/fanotify/max_user_groups' : undefined;
      throw new FanotifyInitError(errno, strerror(errno), why);
    }
    this.#loop = new DrainLoop(fd, this.#readBuf, (errno, reason) => new FanotifyInitError(errno, reason), {
      decode: (n) => this.#translate(n),
      readError: (n, errno) =>
        new SystemError(n === 0 ? 'fanotify reported end-of-file' : strerror(errno), errno, strerror(errno)),
    });
    this.#fd = fd;
    this.queueLimit = queueLimit('fanotify');
  }

  /** How the main thread waits for the fd: in its own event loop, or through a helper thread's poll(). */
  get mainWait(): 'loop' | 'poll' {
    return this.#loop.mainWait;
  }

  configure(tree: TreeOptions): void {
    this.#recursive = tree.recursive;
    this.#excludeDirs = [...(tree.excludeDirs ?? [])];
  }

  addWatch(path: ByteString, mask: EventMask): number {
    const follow = (mask & IN_DONT_FOLLOW) === 0;
    const cpath = toCString(path);
    const handle = nameToHandleAt(AT_FDCWD, cpath, follow ? AT_SYMLINK_FOLLOW : 0);
    if (!handle) throw this.#markError(path, lastErrno());
    const fs = statfs(cpath);
    if (!fs) throw this.#markError(path, lastErrno());
    const fsid = asBytes(fs.fsid.toString('latin1'));
    const key = asBytes(fsid + handle.handle.toString('latin1'));
    let isDir: boolean;
    let real: ByteString;
    try {
      const buf = toBuffer(path);
      isDir = (follow ? statSync(buf) : lstatSync(buf)).isDirectory();
      real = isDir || follow ? asBytes(realpathSync(buf, { encoding: 'buffer' }).toString('latin1')) : absoluteLink(path);
    } catch (err) {
      throw this.#markError(path, Math.abs((err as NodeJS.ErrnoException).errno ?? 2));
    }
    const existing = this.#byKey.get(key);
    const recursive = this.#recursive && isDir;
    const flags = FAN_MARK_ADD | (follow ? 0 : FAN_MARK_DONT_FOLLOW) | (mask & IN_ONLYDIR ? FAN_MARK_ONLYDIR : 0);
    const kernel = this.#kernelMask(mask);
    if (recursive) {
      // Self events of every inode on the file system only when asked for (-r -e delete_self).
      if ((kernel & ~FAN_ONDIR) !== 0) this.#mark(path, cpath, flags | FAN_MARK_FILESYSTEM, kernel);
      this.#mark(path, cpath, flags, SELF_BITS);
    } else {
      // A file has no entries: dirent events on its mark are ENOTDIR.
      const own = isDir ? kernel | FAN_EVENT_ON_CHILD : kernel & ~(DIRENT_BITS | FAN_RENAME | FAN_ONDIR);
      this.#mark(path, cpath, flags, own | SELF_BITS);
    }
    this.#paths.addFileSystem(fsid, isDir ? real : parentOf(real));
    if (existing) {
      existing.mask |= mask;
      return existing.wd;
    }
    const record: FidRecord = { key, name: NONE };
    const skip = recursive ? this.#skipsUnder(path) : [];
    const root: Root = { wd: this.#nextWd++, key, record, cpath, real, isDir, recursive, mask, skip };
    if (isDir) this.#paths.remember(key, real);
    this.#roots.set(root.wd, root);
    this.#byKey.set(key, root);
    if (recursive) this.#recursiveRoots.push(root);
    return root.wd;
  }

  removeWatch(wd: number): void {
    const root = this.#roots.get(wd);
    if (!root) return;
    this.#forget(root);
    // The inode mark goes (failing when the path is gone: the mark went with it); a filesystem mark stays
    // for the other roots on it, and what it reports outside every root is dropped anyway.
    fanotifyMark(this.#fd, FAN_MARK_REMOVE, SHARED_BITS | FAN_RENAME | FAN_ONDIR | FAN_EVENT_ON_CHILD, AT_FDCWD, root.cpath);
    const records: RawEvent[] = [{ wd, mask: IN_IGNORED, cookie: 0, name: NONE }];
    queueMicrotask(() => void this.#sink?.records(records));
  }

  start(sink: BackendSink): void {
    this.#sink = sink;
    this.#loop.start(sink);
  }

  readNow(): void {
    this.#loop.readNow();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#loop.stop().then(() => {
      this.#loop.release();
      this.#paths.close();
    });
  }

  /** The fanotify mask for an inotify one: the shared bits, moves as FAN_RENAME where the kernel has it. */
  #kernelMask(mask: number): number {
    let kernel = (mask & SHARED_BITS) | FAN_ONDIR;
    if (kernel & MOVES && this.#renameSupported) kernel = (kernel & ~MOVES) | FAN_RENAME;
    return kernel;
  }

  #mark(path: ByteString, cpath: Buffer, flags: number, mask: number): void {
    if (fanotifyMark(this.#fd, flags, mask, AT_FDCWD, cpath) === 0) return;
    let errno = lastErrno();
    if (errno === EINVAL && mask & FAN_RENAME) {
      // Before 5.17: the two halves of a rename come as separate events.
      this.#renameSupported = false;
      if (fanotifyMark(this.#fd, flags, (mask & ~FAN_RENAME) | MOVES, AT_FDCWD, cpath) === 0) return;
      errno = lastErrno();
    }
    throw this.#markError(path, errno);
  }

  #markError(path: ByteString, errno: number): SystemError {
    const reason = strerror(errno);
    if (errno === ENODEV || errno === EOPNOTSUPP || errno === EXDEV || errno === EOVERFLOW) {
      const fsName = fileSystemName(statfs(toCString(path))?.type);
      return new MarkError(path, errno, reason, `${fsName} does not give fanotify the file ids it needs; use -I for inotify`);
    }
    return new WatchError(path, errno, reason);
  }

  /** The `@` exclusions (spelled like the root, `root/a/b`) that lie below this root, relative. */
  #skipsUnder(path: ByteString): ByteString[] {
    const prefix = path.endsWith('/') ? path : path + '/';
    return this.#excludeDirs
      .filter((dir) => dir.startsWith(prefix))
      .map((dir) => asBytes((dir.endsWith('/') ? dir : dir + '/').slice(prefix.length)));
  }

  #forget(root: Root): void {
    this.#roots.delete(root.wd);
    if (this.#byKey.get(root.key) === root) this.#byKey.delete(root.key);
    this.#recursiveRoots = this.#recursiveRoots.filter((r) => r !== root);
  }

  /** One read's events → records. */
  #translate(length: number): RawEvent[] {
    const out: RawEvent[] = [];
    const procs = this.#processInfo ? new ProcessInfoBatch() : undefined;
    for (const ev of decodeEvents(this.#readBuf, length)) {
      if (ev.mask & FAN_Q_OVERFLOW) {
        out.push({ wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: NONE });
        continue;
      }
      if (ev.pid === process.pid) continue; // ours: reading a directory, resolving a handle
      const info = procs?.of(ev.pid);
      this.#pid = ev.pid;
      this.#comm = info?.comm;
      this.#uid = info?.uid;
      this.#events(ev, out);
    }
    return out;
  }

  /** A record of the event being translated; every one has the same shape (a burst makes millions). */
  #push(out: RawEvent[], wd: number, mask: number, cookie: number, name: ByteString, dir: ByteString): void {
    out.push({ wd, mask: asMask(mask), cookie, name, dir, pid: this.#pid, comm: this.#comm, uid: this.#uid });
  }

  #events(ev: FanEvent, out: RawEvent[]): void {
    const isDir = ev.mask & FAN_ONDIR ? IN_ISDIR : 0;
    if (ev.mask & FAN_RENAME) this.#rename(ev, isDir, out);
    const bits = ev.mask & SHARED_BITS;
    if (bits === 0) return;
    const dir = ev.dir;
    const named = dir !== undefined && dir.name !== '' && dir.name !== '.';
    // The object itself: its FID (with target fids, a dirent event's FID is the entry: not "itself"), or
    // a directory's DFID with name '.'.
    const selfBits = bits & ~DIRENT_BITS;
    const self = selfBits === 0 ? undefined : named ? ev.fid : (ev.fid ?? dir);
    const selfRoot = self && this.#byKey.get(self.key);
    if (selfRoot) this.#rootItself(selfRoot, selfBits, isDir, out);
    if (named) {
      // One event may hold a file's CREATE and what was done to it next (the kernel merges them): the
      // entry's arrival goes first and its removal last, as they happened.
      const arrival = bits & (FAN_CREATE | FAN_MOVED_TO);
      const removal = bits & (FAN_DELETE | FAN_MOVED_FROM);
      const rest = bits & ~SELF_BITS & ~arrival & ~removal;
      let path: ByteString | undefined;
      for (const part of [arrival, rest, removal]) if (part) path = this.#entry(dir, part | isDir, 0, out);
      // A new directory's path is known now (its handle comes as the target fid): events inside it
      // resolve even when it is gone by the time they are read (`mkdir -p a/b && rm -r a`).
      if (isDir && path !== undefined && ev.fid && bits & (FAN_CREATE | FAN_MOVED_TO)) {
        this.#paths.remember(ev.fid.key, join(path, dir.name));
      }
      if (isDir && path !== undefined && bits & FAN_MOVED_FROM) this.#paths.forgetUnder(join(path, dir.name));
      return;
    }
    if (!dir || !isDir || dir.key === selfRoot?.key) return;
    // A directory's event on itself. Below a recursive root: `root/sub/ OPEN,ISDIR ` as inotify's watch on
    // it reports, and `root/ OPEN,ISDIR sub` as its parent's does. fanotify reports a directory's events
    // on itself only, so the parent and name come from its path (a removed one's is only in the cache).
    const path = bits & FAN_DELETE_SELF ? this.#paths.cached(dir.key) : this.#paths.resolve(dir);
    if (path === undefined) return;
    if (this.#recursiveRoots.length > 0) this.#below(path, NONE, bits & SELF_BITS ? bits & SELF_BITS : bits | isDir, 0, out);
    const entryBits = bits & ~SELF_BITS;
    if (entryBits === 0 || path === '/') return;
    const parent = parentOf(path);
    const name = asBytes(path.slice(parent === '/' ? 1 : parent.length + 1));
    for (const root of this.#roots.values()) {
      if (root.isDir && !root.recursive && root.real === parent) this.#push(out, root.wd, entryBits | isDir, 0, name, NONE);
    }
    if (this.#recursiveRoots.length > 0) this.#below(parent, name, entryBits | isDir, 0, out, true);
  }

  /** An event on a watched path itself. */
  #rootItself(root: Root, bits: number, isDir: number, out: RawEvent[]): void {
    // inotify has no ISDIR on a directory's DELETE_SELF / MOVE_SELF; self events only when asked for.
    const selfOnly = (bits & ~SELF_BITS) === 0;
    const mask = (bits & (root.mask | ~SELF_BITS)) | (selfOnly ? 0 : isDir);
    if (mask !== 0) this.#push(out, root.wd, mask, 0, NONE, NONE);
    if (bits & FAN_DELETE_SELF) {
      this.#push(out, root.wd, IN_IGNORED, 0, NONE, NONE);
      this.#forget(root);
    } else if (bits & FAN_MOVE_SELF && root.recursive) {
      this.#paths.forget(root.key);
      const now = this.#paths.resolve(root.record);
      if (now !== undefined) root.real = now;
    }
  }

  /** FAN_RENAME: MOVED_FROM and MOVED_TO with one cookie, each where its side is watched. */
  #rename(ev: FanEvent, isDir: number, out: RawEvent[]): void {
    const cookie = (this.#cookie = (this.#cookie + 1) >>> 0 || 1);
    const from = ev.oldDir && this.#entry(ev.oldDir, IN_MOVED_FROM | isDir, cookie, out);
    const to = ev.newDir && this.#entry(ev.newDir, IN_MOVED_TO | isDir, cookie, out);
    if (!isDir) return;
    // Paths cached below the moved directory, and roots below it, move with it.
    const oldPath = from !== undefined ? join(from, ev.oldDir!.name) : undefined;
    const newPath = to !== undefined ? join(to, ev.newDir!.name) : undefined;
    if (oldPath !== undefined && newPath !== undefined) {
      this.#paths.move(oldPath, newPath);
      for (const root of this.#recursiveRoots) root.real = movedPath(root.real, oldPath, newPath);
    } else if (oldPath !== undefined) {
      this.#paths.forgetUnder(oldPath);
    }
    if (newPath !== undefined && ev.fid) this.#paths.remember(ev.fid.key, newPath);
  }

  /**
   * An event on entry `record.name` of directory `record`, for the roots that see that directory. Returns
   * the directory's path when it was resolved (recursive roots need it).
   */
  #entry(record: FidRecord, mask: number, cookie: number, out: RawEvent[]): ByteString | undefined {
    const root = this.#byKey.get(record.key);
    if (root && !root.recursive && root.isDir) this.#push(out, root.wd, mask, cookie, record.name, NONE);
    if (this.#recursiveRoots.length === 0) return undefined;
    const path = this.#paths.resolve(record);
    if (path !== undefined) this.#below(path, record.name, mask, cookie, out);
    return path;
  }

  /** Records for every recursive root that directory `path` lies in (or is); `inside`: not the root itself. */
  #below(path: ByteString, name: ByteString, mask: number, cookie: number, out: RawEvent[], inside = false): void {
    for (const root of this.#recursiveRoots) {
      let dir: ByteString;
      if (path === root.real) {
        if (inside && name === '') continue;
        dir = NONE;
      } else if (path.startsWith(root.real === '/' ? '/' : root.real + '/')) {
        dir = asBytes(path.slice(root.real === '/' ? 1 : root.real.length + 1) + '/');
      } else continue;
      if (root.skip.length > 0 && root.skip.some((s) => (dir + name + '/').startsWith(s))) continue;
      this.#push(out, root.wd, mask, cookie, name, dir);
    }
  }
}

function join(dir: ByteString, name: ByteString): ByteString {
  return asBytes(dir === '/' ? '/' + name : dir + '/' + name);
}

/** `path` after directory `from` was renamed to `to`. */
function movedPath(path: ByteString, from: ByteString, to: ByteString): ByteString {
  if (path === from) return to;
  return path.startsWith(from + '/') ? asBytes(to + path.slice(from.length)) : path;
}

function parentOf(path: ByteString): ByteString {
  const slash = path.lastIndexOf('/');
  return asBytes(slash <= 0 ? '/' : path.slice(0, slash));
}

/** A symlink watched as itself (-P): its directory resolved, its own name kept. */
function absoluteLink(path: ByteString): ByteString {
  const slash = path.lastIndexOf('/');
  const dir = asBytes(slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash));
  const real = realpathSync(toBuffer(dir), { encoding: 'buffer' }).toString('latin1');
  return asBytes((real === '/' ? '' : real) + '/' + path.slice(slash + 1));
}
