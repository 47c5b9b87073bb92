/**
 * Watches on new directories, added the moment their CREATE (or MOVED_TO) is read, by whichever thread
 * reads the kernel queue, before anything else is done with the read: every microsecond between the
 * kernel's event and our watch is a window in which whatever is made inside the directory has no event.
 * The engine still reads the directory afterwards (engine/new-dir-rescan.ts) for what came before the
 * watch; adding the same directory again there returns this watch's descriptor.
 *
 * The reader thread runs this from source text (reader-thread.ts), so it must stay self-contained:
 * nothing from outside but its arguments.
 */

/** A followed directory: new subdirectories get a watch with this mask. */
export interface FollowedDir {
  readonly path: string;
  readonly mask: number;
}

/** What the reading thread knows: the followed directories by wd, and directory moves by cookie. */
export interface ReadTimeState {
  readonly dirs: Map<number, FollowedDir>;
  readonly moves: Map<number, string>;
}

/**
 * Scans the records in bytes [start, end) (one read()'s worth, whole records) and watches each new
 * directory under a followed one. A rename inside the tree only rewrites paths: the watches exist.
 */
export function watchNewDirsAtRead(
  bytes: Buffer,
  start: number,
  end: number,
  state: ReadTimeState,
  addWatch: (path: Buffer, mask: number) => number,
): void {
  const IN_MOVED_FROM = 0x40;
  const IN_MOVED_TO = 0x80;
  const IN_CREATE = 0x100;
  const IN_IGNORED = 0x8000;
  const IN_ISDIR = 0x40000000;
  const { dirs, moves } = state;
  if (dirs.size === 0) return;
  for (let off = start; off + 16 <= end; ) {
    const wd = bytes.readInt32LE(off);
    const mask = bytes.readUInt32LE(off + 4);
    const cookie = bytes.readUInt32LE(off + 8);
    const len = bytes.readUInt32LE(off + 12);
    const nameStart = off + 16;
    off = nameStart + len;
    if (mask & IN_IGNORED) {
      dirs.delete(wd);
      continue;
    }
    if ((mask & IN_ISDIR) === 0 || (mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM)) === 0) continue;
    const parent = dirs.get(wd);
    if (parent === undefined) continue;
    let nameEnd = nameStart;
    while (nameEnd < off && bytes[nameEnd] !== 0) nameEnd++;
    const path = parent.path + bytes.toString('latin1', nameStart, nameEnd) + '/';
    if (mask & IN_MOVED_FROM) {
      moves.set(cookie, path);
      continue;
    }
    const oldPath = mask & IN_MOVED_TO ? moves.get(cookie) : undefined;
    if (oldPath !== undefined) {
      moves.delete(cookie);
      for (const [dirWd, dir] of dirs) {
        if (dir.path.startsWith(oldPath)) dirs.set(dirWd, { path: path + dir.path.slice(oldPath.length), mask: dir.mask });
      }
      continue;
    }
    const child = addWatch(Buffer.from(path + '\0', 'latin1'), parent.mask);
    if (child >= 0) dirs.set(child, { path, mask: parent.mask });
  }
}

/** The reading side's view: scan each read, and forget unpaired moves once the queue is empty. */
export interface ReadTimeScanner {
  scan(bytes: Buffer, start: number, end: number): void;
  idle(): void;
}

/**
 * The reader thread's scanner. `receive` returns the next message from the main thread, if any: a flat
 * array of [wd, path, mask] triples (a directory to follow; path null: no longer; wd -1: forget all).
 * Self-contained too.
 */
export function readTimeScanner(
  receive: () => unknown,
  addWatch: (path: Buffer, mask: number) => number,
  watchNewDirs: typeof watchNewDirsAtRead,
): ReadTimeScanner {
  const state: ReadTimeState = { dirs: new Map(), moves: new Map() };
  return {
    scan(bytes, start, end) {
      for (let message = receive(); message !== undefined; message = receive()) {
        const triples = message as (number | string | null)[];
        for (let i = 0; i + 2 < triples.length; i += 3) {
          const wd = triples[i] as number;
          const path = triples[i + 1] as string | null;
          if (wd < 0) state.dirs.clear(); // the main thread's whole set follows
          else if (path === null) state.dirs.delete(wd);
          else state.dirs.set(wd, { path, mask: triples[i + 2] as number });
        }
      }
      watchNewDirs(bytes, start, end, state, addWatch);
    },
    idle() {
      state.moves.clear();
    },
  };
}
