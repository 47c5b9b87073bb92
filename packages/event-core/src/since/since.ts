/**
 * `--since STATEFILE`: report what changed while nothing was watching, then watch live, and leave a state
 * file behind for next time.
 *
 * The rule that makes it safe: a snapshot is committed only when every change it contains has been
 * delivered. So a crash (even SIGKILL) can make the next run repeat changes, never lose them.
 * - Start: the watches exist first (live changes are queued from then on), then snapshot S, then the
 *   changes since the old snapshot are computed and delivered, then S is committed. Changes between the
 *   watches and the replay come twice (replayed and live); none falls between.
 * - Later saves (periodic, SIGUSR2, exit): snapshot S, then wait until live delivery has caught up with
 *   the end of the walk (no batch in flight, and the backend's delivery delay passed), then commit. At
 *   exit, a relevant event that arrived but was not output keeps the older state (events for the path
 *   output last excepted: a replay reports a path once however often it changed); so does a queue
 *   overflow (Q_OVERFLOW) for the rest of the run.
 * The promise is per path: every path changed after the committed snapshot is reported at least once
 * after its change, by this run or the next; repeats are possible, losses are not.
 *
 * Scope (-r, `@` exclusions) may differ between runs: each snapshot records what it covered, and a path is
 * compared with the newest snapshot that covered it (scope.ts). What no snapshot covered has no baseline
 * and is not replayed, like a new root. What this run does not cover keeps its older snapshot in the state
 * file, so that a later run covering it again replays what changed there meanwhile.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { ByteString } from '../model/bytes.js';
import { fromText, toBuffer } from '../model/bytes.js';
import { strerror } from '../model/errors.js';
import type { InotifyKitError } from '../model/errors.js';
import type { PathFilter } from '../filter/filter.js';
import type { InotifyEvent } from '../model/event.js';
import type { EventMask } from '../model/mask.js';
import { NO_EVENTS } from '../model/mask.js';
import { isDirNow, orderChanges } from '../backends/parcel/changes.js';
import { DeliveryTracker } from './delivery.js';
import type { BatchHandler } from './delivery.js';
import { SinceReadError, SinceSaveError, SinceStateError } from '../backends/parcel/errors.js';
import { loadParcel, snapshotParcelBackend } from '../backends/parcel/parcel-module.js';
import { parcelText, realPath } from '../backends/parcel/paths.js';
import type { ReplayedEvent, WatchSource } from './replay.js';
import { placer, replayEvents, replayMask } from './replay.js';
import type { Scope } from './scope.js';
import { contains, siftByOwner, stillNeeded } from './scope.js';
import { resolveRoots } from './since-roots.js';
import type { SinceRoot } from './since-roots.js';
import type { RawChange } from './snapshots.js';
import { Snapshotter, scopeNow } from './snapshots.js';
import type { RootToWrite, SnapshotToWrite, StateManifest } from './state-file.js';
import { readStateFile, removeStaleTemps, snapshotsOf, writeStateFile } from './state-file.js';
import { asBytes } from '../model/bytes.js';

export type { BatchHandler };

export interface SinceOptions {
  /** The `-e` mask (0: all): which replayed kinds to report (see replayMask) and which events count. */
  readonly requested?: EventMask;
  /** `-r`: snapshot whole trees; otherwise each directory's direct entries. */
  readonly recursive: boolean;
  /** `@` exclusions, as spelled: left out of snapshots and replay. */
  readonly excludeDirs?: Iterable<ByteString>;
  /** The Watcher's `%w%f` filter (--include/--exclude), applied to replayed events too. */
  readonly filter?: PathFilter;
  /** Save every so many milliseconds while watching (when anything happened); 0: never. Default 60 s. */
  readonly saveIntervalMs?: number;
  /** Save on SIGUSR2. Default true. */
  readonly saveOnSignal?: boolean;
  /** A periodic or SIGUSR2 save failed (the state file is unchanged). Default: a process warning. */
  readonly onSaveError?: (err: InotifyKitError) => void;
}

/**
 * Reads and checks the state file (SinceStateError when damaged; a missing one is a first run). Call it
 * before adding watches. Roots that do not exist are left to the watcher to report.
 */
export async function openSince(given: ByteString, roots: readonly ByteString[], options: SinceOptions): Promise<SinceSession> {
  const parcel = loadParcel();
  const backend = snapshotParcelBackend();
  // Absolute from here on: a CLI that daemonizes may change directory.
  const own = ownPaths(given);
  const file = own.abs;
  checkWritableDir(file);
  removeStaleTemps(file);
  let tempDir: string;
  try {
    tempDir = makeTempDir(file);
  } catch (err) {
    throw sinceReadError(file, err);
  }
  try {
    const extracted = (index: number, layer: number): string => join(tempDir, `old-${index}-${layer}`);
    const manifest = readStateFile(file, extracted);
    if (manifest && manifest.snapshotBackend !== backend) {
      throw new SinceStateError(file, `its snapshots are parcel's "${manifest.snapshotBackend}" kind; this platform reads "${backend}"`);
    }
    const resolved = resolveRoots(roots, options, own.real);
    const snap = new Snapshotter(parcel, backend);
    const old = manifest ? oldRoots(manifest, extracted) : [];
    return new SinceSession({ file, own, roots: resolved, old, tempDir, snap, options, firstRun: !manifest });
  } catch (err) {
    rmSync(tempDir, { recursive: true, force: true });
    throw sinceReadError(file, err);
  }
}

export class SinceSession {
  /** There was no state file: nothing is replayed, and one is written. */
  readonly firstRun: boolean;
  readonly #file: ByteString;
  readonly #roots: readonly SinceRoot[];
  /** The old state's roots (snapshots extracted), by real path; those not watched now are carried over unchanged. */
  readonly #old: Map<ByteString, RootToWrite>;
  readonly #tempDir: string;
  readonly #snap: Snapshotter;
  readonly #options: SinceOptions;
  readonly #delivery: DeliveryTracker;
  readonly #cleanup = (): void => rmSync(this.#tempDir, { recursive: true, force: true });
  /**
   * SIGUSR2 is taken from the moment the session exists, so one sent during start-up does not kill the
   * process (its default action); a save asked for before the first commit is made right after it.
   */
  readonly #onSignal = (): void => {
    if (this.#live) void this.save(true);
    else this.#saveAsked = true;
  };
  #live = false;
  #saveAsked = false;
  #timer: NodeJS.Timeout | undefined;
  #saves = 0;
  #saving: Promise<unknown> = Promise.resolve();
  /** start() in progress or done: before it, nothing was replayed, so nothing may be committed. */
  #starting: Promise<boolean> | undefined;
  /** When the walk of the committed snapshot began. */
  #committedWalkStart = 0;
  #closing = false;
  #closed = false;

  constructor(init: {
    file: ByteString; own: { abs: ByteString; real: ByteString }; roots: readonly SinceRoot[]; old: readonly RootToWrite[];
    tempDir: string; snap: Snapshotter; options: SinceOptions; firstRun: boolean;
  }) {
    this.#file = init.file;
    this.#roots = init.roots;
    this.#old = new Map(init.old.map((r) => [r.path, r]));
    this.#tempDir = init.tempDir;
    this.#snap = init.snap;
    this.#options = init.options;
    this.firstRun = init.firstRun;
    const { abs, real } = init.own;
    this.#delivery = new DeliveryTracker(init.options.requested ?? NO_EVENTS, (path) => {
      const full = resolve(cwdBytes(), path);
      return [abs, real].some((p) => full === p || full.startsWith(`${p}.tmp-`));
    });
    process.on('exit', this.#cleanup);
    if (init.options.saveOnSignal ?? true) process.on('SIGUSR2', this.#onSignal);
  }

  /** Watched roots the state file has nothing on (first run for them), as given. */
  get newRoots(): ByteString[] {
    return this.#roots.filter((r) => this.#oldRecord(r) === undefined).map((r) => r.given);
  }

  /**
   * After the watches are added (and the backend is ready): snapshots, delivers the replayed events
   * through `replay` (one call, possibly with none), commits, and starts the periodic and SIGUSR2
   * saves. Returns the batch handler to give the Watcher: `live`, wrapped to follow deliveries.
   */
  start(watcher: WatchSource, handlers: { replay(events: ReplayedEvent[]): void | Promise<void>; live: BatchHandler }): Promise<BatchHandler> {
    if (this.#starting) throw new Error('SinceSession.start() called twice');
    const started = this.#start(watcher, handlers);
    this.#starting = started.then(() => true, () => false);
    return started;
  }

  async #start(watcher: WatchSource, handlers: { replay(events: ReplayedEvent[]): void | Promise<void>; live: BatchHandler }): Promise<BatchHandler> {
    this.#delivery.useSource(watcher);
    const walkStart = Date.now();
    this.#delivery.walkStarted(); // both walks' echoes are read once the Watcher starts, after this returns
    try {
      const snapshots = await this.#snapshotAll();
      await handlers.replay(await this.#replay(watcher));
      this.#commit(snapshots, walkStart);
    } finally {
      this.#delivery.walkDone();
    }
    const interval = this.#options.saveIntervalMs ?? 60_000;
    if (!this.#closing && interval > 0) {
      this.#timer = setInterval(() => void this.save(false), interval);
      this.#timer.unref();
    }
    this.#live = true;
    if (this.#saveAsked && !this.#closing) void this.save(true);
    return this.#delivery.wrap(handlers.live);
  }

  /**
   * Writes a fresh state file when that is safe (see the module comment); true when it did. Without
   * `force`, skipped when nothing arrived since the committed snapshot was taken. Saves run one at a time.
   */
  save(force = true): Promise<boolean> {
    const run = this.#saving.then(() => this.#saveNow(force));
    this.#saving = run.catch((err: InotifyKitError) => (this.#options.onSaveError ?? warn)(err));
    return run;
  }

  /**
   * The last save, when the consumer stops. `stoppedAfter`: the live event after which the consumer
   * stopped outputting (inotifywait without -m prints one and exits). Replay works per path, so further
   * events for that path are covered by it; any for another path (later in its batch, or arriving now)
   * keep the older state, so that they come again next time. Throws SinceSaveError when writing fails
   * (the previous state file is intact). Call it before closing the Watcher, which must keep reading.
   */
  async close(options: { stoppedAfter?: InotifyEvent; save?: boolean } = {}): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#delivery.stop(options.stoppedAfter);
    clearInterval(this.#timer);
    process.off('SIGUSR2', this.#onSignal);
    try {
      // No save after a failed start (nothing was replayed: a fresh snapshot would lose those changes),
      // nor when the caller says the run failed (save: false, e.g. after a read error).
      if (this.#starting && (await this.#starting) && options.save !== false) {
        await this.#saving;
        await this.#saveNow(false);
      }
    } finally {
      this.#closed = true;
      process.off('exit', this.#cleanup);
      this.#cleanup();
    }
  }

  async #saveNow(force: boolean): Promise<boolean> {
    const delivery = this.#delivery;
    if (this.#closed || delivery.overflowed || delivery.missed) return false;
    if (!force && delivery.lastArrival < this.#committedWalkStart) return false;
    const walkStart = Date.now();
    delivery.walkStarted();
    let snapshots: RootToWrite[];
    try {
      snapshots = await this.#snapshotAll();
    } finally {
      delivery.walkDone();
    }
    if (!(await delivery.caughtUp(Date.now())) || delivery.missed || delivery.overflowed) return false;
    this.#commit(snapshots, walkStart);
    return true;
  }

  /** Snapshots of the roots that still exist. Throws SinceSaveError when parcel cannot take one. */
  async #snapshotAll(): Promise<RootToWrite[]> {
    const n = ++this.#saves;
    try {
      const taken = await Promise.all(this.#roots.map((root, i) => this.#snap.take(root, join(this.#tempDir, `new-${n}-${i}`))));
      return taken.filter((s): s is RootToWrite => s !== undefined);
    } catch (err) {
      throw new SinceSaveError(this.#file, (err as Error).message);
    }
  }

  #commit(snapshots: RootToWrite[], walkStart: number): void {
    const watched = new Map(this.#roots.map((r) => [r.real, r]));
    const carried = [...this.#old.values()].filter((r) => !watched.has(r.path));
    // A directory's older snapshots stay where they are still the baseline: where this one does not look.
    const kept = snapshots.map((s): RootToWrite => {
      const root = watched.get(s.path)!;
      if (s.kind === 'file') return s;
      const layers = this.#oldLayers(root);
      const older = stillNeeded(scopeNow(root), layers.map((l) => l.scope)).map((i) => layers[i]!);
      return { ...s, snapshots: [...s.snapshots, ...older] };
    });
    removeStaleTemps(this.#file);
    writeStateFile(this.#file, this.#snap.backend, [...kept, ...carried]);
    this.#committedWalkStart = walkStart;
    for (const s of snapshots) if (s.kind === 'dir') for (const { file } of s.snapshots) rmSync(file, { force: true });
  }

  #oldRecord(root: SinceRoot): RootToWrite | undefined {
    const record = this.#old.get(root.real);
    return record && record.kind === (root.isFile ? 'file' : 'dir') ? record : undefined;
  }

  /**
   * A directory root's old snapshots, newest first, each with its scope. A scope the state file does not
   * know (written before scopes were recorded) is taken as this run's: what that version assumed.
   */
  #oldLayers(root: SinceRoot): Array<{ file: string; scope: Scope }> {
    const record = this.#oldRecord(root);
    if (record?.kind !== 'dir') return [];
    return record.snapshots.map(({ file, scope }) => ({ file, scope: scope ?? scopeNow(root) }));
  }

  /** A root's changes since its old snapshots: each path from the newest one that covered it. */
  async #changesSince(root: SinceRoot, record: RootToWrite): Promise<RawChange[]> {
    if (record.kind === 'file') return this.#snap.changesSince(root, record);
    const layers = this.#oldLayers(root);
    const scopes = layers.map((l) => l.scope);
    const now = scopeNow(root);
    const diffs: (RawChange[] | undefined)[] = [];
    for (const [i, layer] of layers.entries()) {
      // Not walked for nothing: when a newer snapshot covered all this run does, this one owns none of it.
      const shadowed = scopes.slice(0, i).some((newer) => contains(newer, now));
      diffs.push(shadowed ? undefined : await this.#snap.changesSince(root, layer.file));
    }
    return siftByOwner(scopes, diffs);
  }

  async #replay(watcher: WatchSource): Promise<ReplayedEvent[]> {
    const place = placer(watcher);
    const wants = replayMask(this.#options.requested ?? NO_EVENTS);
    const time = performance.timeOrigin + performance.now();
    const out: ReplayedEvent[] = [];
    for (const root of this.#roots) {
      const record = this.#oldRecord(root);
      if (!record) continue;
      const raw = await this.#changesSince(root, record);
      const own = root.ownRel;
      const changes = orderChanges(
        raw.filter((c) => own === undefined || !(c.rel === own || c.rel.startsWith(`${own}.tmp-`))),
        (rel) => isDirNow(asBytes(rel === '' ? root.real : `${root.real}/${rel}`)),
      );
      out.push(...replayEvents(root, changes, place, wants, this.#options.filter, time));
    }
    return out;
  }
}

/** An OS error while reading the state file (a directory, a full disk to unpack it on) as one line. */
function sinceReadError(file: ByteString, err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.errno !== 'number' || typeof e.syscall !== 'string') return err; // ours, or a bug
  return new SinceReadError(file, strerror(Math.abs(e.errno), e.code ?? e.message), e.code === 'ENOSPC');
}

/** The old state's roots, a directory's snapshots named by where readStateFile extracted them. */
function oldRoots(manifest: StateManifest, extracted: (index: number, layer: number) => string): RootToWrite[] {
  return manifest.roots.map((r, index) => {
    if (r.kind === 'file') return r;
    const snapshots: SnapshotToWrite[] = snapshotsOf(r).map((s, layer) => ({ file: extracted(index, layer), scope: s.scope }));
    return { kind: 'dir', path: r.path, snapshots };
  });
}

/**
 * Where parcel writes snapshots and we extract the old ones: beside the state file (same file system,
 * and snapshots of big trees can be large for a RAM-backed /tmp), named so that a run killed with its
 * work unfinished has it removed by the next (removeStaleTemps). /tmp when parcel cannot name that place.
 */
function makeTempDir(file: ByteString): string {
  const beside = parcelText(asBytes(`${file}.tmp-${process.pid}.d`));
  if (beside === undefined) return mkdtempSync(join(tmpdir(), 'ik-since-'));
  mkdirSync(beside, { recursive: true, mode: 0o700 });
  return beside;
}

/** Fails before any watching when the state file could not be written later. */
function checkWritableDir(file: ByteString): void {
  try {
    accessSync(toBuffer(asBytes(dirname(file))), constants.W_OK | constants.X_OK);
  } catch (err) {
    const errno = Math.abs((err as NodeJS.ErrnoException).errno ?? 13);
    throw new SinceSaveError(file, strerror(errno, (err as Error).message));
  }
}

/** The state file's absolute path, and with its directory's symlinks resolved (how watch paths may see it). */
function ownPaths(file: ByteString): { abs: ByteString; real: ByteString } {
  const abs = asBytes(resolve(cwdBytes(), file));
  try {
    return { abs, real: asBytes(join(realPath(asBytes(dirname(abs))), basename(abs))) };
  } catch {
    return { abs, real: abs }; // its directory does not exist: saving will say so
  }
}

function cwdBytes(): ByteString {
  return fromText(process.cwd());
}

function warn(err: InotifyKitError): void {
  process.emitWarning(err.message);
}

