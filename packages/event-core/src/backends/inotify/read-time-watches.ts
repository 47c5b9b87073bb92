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

/**
 * What the reading thread knows: the followed directories by wd, and directory moves by cookie. A
 * followed directory is its path alone, its mask (what its new subdirectories are watched with) the
 * state's `mask` unless `masks` says otherwise: in a Watcher every directory has the same one, and an
 * object per directory ({ path, mask }) was 2 MB of a 50,000-directory tree.
 */
export interface ReadTimeState {
  readonly dirs: Map<number, string>;
  /** The mask of every followed directory not in `masks` (the first one followed sets it). */
  mask: number;
  readonly masks: Map<number, number>;
  readonly moves: Map<number, string>;
  /**
   * Where a new directory's path is written for inotify_add_watch, made once: a Buffer per directory
   * comes from an 8 KiB pool slab that outlives a scavenge, and in the reader thread (whose old space is
   * seldom collected) the slabs piled up as native memory under directory churn.
   */
  pathBuf?: Buffer;
}

export function newReadTimeState(): ReadTimeState {
  return { dirs: new Map(), mask: 0, masks: new Map(), moves: new Map() };
}

/** Follows a directory: its new subdirectories are watched with `mask` as they are read. */
export function followDir(state: ReadTimeState, wd: number, path: string, mask: number): void {
  if (state.dirs.size === 0 && state.masks.size === 0) state.mask = mask;
  state.dirs.set(wd, path);
  if (mask === state.mask) state.masks.delete(wd);
  else state.masks.set(wd, mask);
}

export function unfollowDir(state: ReadTimeState, wd: number): void {
  state.dirs.delete(wd);
  state.masks.delete(wd);
}

/** Hands the followed directories over as [wd, path, mask] triples and forgets them. */
export function takeFollowedTriples(state: ReadTimeState): (number | string)[] {
  const triples: (number | string)[] = [];
  for (const [wd, path] of state.dirs) triples.push(wd, path, state.masks.get(wd) ?? state.mask);
  state.dirs.clear();
  state.masks.clear();
  return triples;
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
  /** PATH_MAX, and the NUL: the kernel refuses longer paths (ENAMETOOLONG). */
  const PATH_BUF_SIZE = 4097;
  const { dirs, masks, moves } = state;
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
      masks.delete(wd);
      continue;
    }
    if ((mask & IN_ISDIR) === 0 || (mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM)) === 0) continue;
    const parent = dirs.get(wd);
    if (parent === undefined) continue;
    let nameEnd = nameStart;
    while (nameEnd < off && bytes[nameEnd] !== 0) nameEnd++;
    const path = parent + bytes.toString('latin1', nameStart, nameEnd) + '/';
    if (mask & IN_MOVED_FROM) {
      moves.set(cookie, path);
      continue;
    }
    const oldPath = mask & IN_MOVED_TO ? moves.get(cookie) : undefined;
    if (oldPath !== undefined) {
      moves.delete(cookie);
      for (const [dirWd, dir] of dirs) if (dir.startsWith(oldPath)) dirs.set(dirWd, path + dir.slice(oldPath.length));
      continue;
    }
    let pathBuf = (state.pathBuf ??= Buffer.allocUnsafeSlow(PATH_BUF_SIZE));
    if (path.length >= PATH_BUF_SIZE) pathBuf = Buffer.allocUnsafeSlow(path.length + 1);
    pathBuf[pathBuf.write(path, 0, 'latin1')] = 0;
    const parentMask = masks.get(wd) ?? state.mask;
    const child = addWatch(pathBuf, parentMask);
    if (child >= 0) {
      dirs.set(child, path);
      if (parentMask === state.mask) masks.delete(child);
      else masks.set(child, parentMask);
    }
  }
}

/**
 * The queue is empty: a directory whose MOVED_FROM found no MOVED_TO left the tree (a rename queues both
 * at once). Its watches, and those of the directories in it, are removed: some the engine never knew (it
 * was moved away before the engine could watch it, so the engine's own clean-up cannot find them), and
 * watched they would keep reporting from outside the tree. Their IGNOREDs then free the entries.
 */
export function settleMovesAtIdle(state: ReadTimeState, removeWatch: (wd: number) => void): void {
  if (state.moves.size === 0) return;
  for (const gone of state.moves.values()) {
    for (const [wd, dir] of state.dirs) if (dir.startsWith(gone)) removeWatch(wd);
  }
  state.moves.clear();
}

/** The reading side's view: scan each read, and settle unpaired moves once the queue is empty. */
export interface ReadTimeScanner {
  scan(bytes: Buffer, start: number, end: number): void;
  idle(): void;
  /** How many directories it follows (for the tests that check nothing outlives its directory). */
  followed(): number;
  /** Takes in the messages still queued, then hands the whole set over as triples and forgets it. */
  handBack(): (number | string)[];
}

/**
 * The reader thread's scanner. `receive` returns the next message from the main thread, if any: a flat
 * array of [wd, path, mask] triples (a directory to follow; path null: no longer). Self-contained too, as
 * are the functions it is given.
 */
export function readTimeScanner(
  receive: () => unknown,
  addWatch: (path: Buffer, mask: number) => number,
  watchNewDirs: typeof watchNewDirsAtRead,
  removeWatch: (wd: number) => void,
  settleMoves: typeof settleMovesAtIdle,
): ReadTimeScanner {
  // followDir/unfollowDir/takeFollowedTriples inlined: the thread gets this function's text only.
  const state: ReadTimeState = { dirs: new Map(), mask: 0, masks: new Map(), moves: new Map() };
  const takeMessages = (): void => {
    for (let message = receive(); message !== undefined; message = receive()) {
      const triples = message as (number | string | null)[];
      for (let i = 0; i + 2 < triples.length; i += 3) {
        const wd = triples[i] as number;
        const path = triples[i + 1] as string | null;
        const mask = triples[i + 2] as number;
        if (path === null) {
          state.dirs.delete(wd);
          state.masks.delete(wd);
          continue;
        }
        if (state.dirs.size === 0 && state.masks.size === 0) state.mask = mask;
        state.dirs.set(wd, path);
        if (mask === state.mask) state.masks.delete(wd);
        else state.masks.set(wd, mask);
      }
    }
  };
  return {
    scan(bytes, start, end) {
      takeMessages();
      watchNewDirs(bytes, start, end, state, addWatch);
    },
    idle() {
      settleMoves(state, removeWatch);
    },
    followed() {
      return state.dirs.size;
    },
    handBack() {
      takeMessages();
      const triples: (number | string)[] = [];
      for (const [wd, path] of state.dirs) triples.push(wd, path, state.masks.get(wd) ?? state.mask);
      state.dirs.clear();
      state.masks.clear();
      return triples;
    },
  };
}
