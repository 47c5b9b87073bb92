/**
 * The `--since` state file: one file, so that replacing it is one atomic rename.
 *
 *     inotifykit-since 1\n                                                    (2: see below)
 *     {"snapshotBackend":"brute-force","savedAt":"…","roots":[…]}\n     (one line of JSON)
 *     <parcel's snapshot of the first directory root><of the second>…     (raw bytes, lengths in the JSON)
 *
 * A directory root's record says what its snapshot covers (`scope`: -r or not, the subtrees left out); a
 * file written before scopes were recorded has none ("unknown"). When a run covered less than an earlier
 * one, the earlier snapshot stays in `older` as the baseline of what this run did not cover; its bytes follow
 * the root's own. Only such a file is written as version 2: version 1 readers cannot account for those
 * bytes. A version 1 file is one without `older` (with or without scopes); both are read.
 *
 * A parcel snapshot is opaque and parcel trusts it blindly (a damaged one makes it hang or invent
 * changes), so each carries its length and SHA-256 and nothing reaches parcel unchecked. Paths in the JSON
 * are byte strings (one char per byte). Written as temp file + fsync + rename + fsync of the directory: a
 * crash at any point leaves the old state file or the new one, never a mix.
 */
import { createHash } from 'node:crypto';
import {
  closeSync, fstatSync, fsyncSync, openSync, readSync, readdirSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ByteString } from '../model/bytes.js';
import { toBuffer } from '../model/bytes.js';
import { strerror } from '../model/errors.js';
import { SinceSaveError, SinceStateError } from '../backends/parcel/errors.js';
import type { Scope } from './scope.js';
import { asBytes } from '../model/bytes.js';

const MAGIC = 'inotifykit-since 1';
/** Written only when some root keeps `older` snapshots. */
const MAGIC_OLDER = 'inotifykit-since 2';
const MAX_HEADER = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/** One parcel snapshot of a directory root, stored after the header. */
export interface SnapshotRecord {
  readonly bytes: number;
  readonly sha256: string;
  /** What it covers; absent in files written before scopes were recorded (unknown). */
  readonly scope?: Scope;
}

/** A watched directory: its newest snapshot, and older ones that still cover what the newest does not. */
export interface DirRecord extends SnapshotRecord {
  readonly kind: 'dir';
  /** The real path (symlinks resolved), bytes. */
  readonly path: ByteString;
  /** Newest first; each is the baseline of the paths it covers and no newer one does. */
  readonly older?: readonly SnapshotRecord[];
}

/** A watched file: parcel snapshots only directories, so we keep what identifies its content ourselves. */
export interface FileRecord {
  readonly kind: 'file';
  readonly path: ByteString;
  /** `stat` fields as decimal strings (64-bit; nanosecond mtime). */
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
}

export type RootRecord = DirRecord | FileRecord;

export interface StateManifest {
  /** The parcel backend that wrote the snapshots; only it can read them. */
  readonly snapshotBackend: string;
  readonly savedAt: string;
  readonly roots: readonly RootRecord[];
}

/** Where a record's snapshots are stored and read: its own, then its older ones. */
export function snapshotsOf(record: DirRecord): SnapshotRecord[] {
  return [record, ...(record.older ?? [])];
}

/**
 * Reads and checks a state file; each directory snapshot is copied to `extractTo(index, layer)` for parcel
 * (`index` of the root record, `layer` 0 for its own snapshot, 1… for its older ones). Undefined when there
 * is no state file (a first run). Throws SinceStateError when it is damaged.
 */
export function readStateFile(file: ByteString, extractTo: (index: number, layer: number) => string): StateManifest | undefined {
  let fd: number;
  try {
    fd = openSync(toBuffer(file), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { manifest, offset } = readHeader(file, fd);
    const dirs = manifest.roots.flatMap((r, index) => (r.kind === 'dir' ? [{ path: r.path, index, snapshots: snapshotsOf(r) }] : []));
    const expected = dirs.reduce((n, d) => d.snapshots.reduce((m, s) => m + s.bytes, n), offset);
    const size = fstatSync(fd).size;
    if (size !== expected) throw new SinceStateError(file, `${size} bytes, but its header accounts for ${expected} (truncated?)`);
    let position = offset;
    for (const { path, index, snapshots } of dirs) {
      snapshots.forEach((snapshot, layer) => {
        const out = openSync(extractTo(index, layer), 'w', 0o600);
        try {
          const hash = copyRange(fd, position, snapshot.bytes, out);
          if (hash !== snapshot.sha256) throw new SinceStateError(file, `the snapshot of ${JSON.stringify(path)} fails its checksum`);
        } finally {
          closeSync(out);
        }
        position += snapshot.bytes;
      });
    }
    return manifest;
  } finally {
    closeSync(fd);
  }
}

function readHeader(file: ByteString, fd: number): { manifest: StateManifest; offset: number } {
  const chunks: Buffer[] = [];
  let total = 0;
  let newlines = 0;
  let end = -1;
  while (end < 0) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, MAX_HEADER - total));
    const n = readSync(fd, buf, 0, buf.length, total);
    if (n === 0 && total === 0) throw new SinceStateError(file, 'the file is empty');
    if (n === 0) break;
    for (let i = 0; i < n && end < 0; i++) if (buf[i] === 0x0a && ++newlines === 2) end = total + i;
    chunks.push(buf.subarray(0, n));
    total += n;
    if (newlines === 0 && total >= MAGIC.length + 1) break; // no magic line: not ours
  }
  const head = Buffer.concat(chunks);
  const lineEnd = head.indexOf(0x0a);
  const firstLine = head.subarray(0, lineEnd < 0 ? MAGIC.length + 1 : lineEnd).toString('latin1');
  if (firstLine !== MAGIC && firstLine !== MAGIC_OLDER) {
    if (lineEnd >= 0 && firstLine.startsWith('inotifykit-since ')) {
      throw new SinceStateError(file, `format "${firstLine}" is not one this version reads`);
    }
    throw new SinceStateError(file, 'it is not an inotifykit state file');
  }
  if (end < 0) throw new SinceStateError(file, 'its header is incomplete');
  let json: unknown;
  try {
    json = JSON.parse(head.subarray(firstLine.length + 1, end).toString('utf8'));
  } catch {
    throw new SinceStateError(file, 'its header is not valid JSON');
  }
  const problem = manifestProblem(json);
  if (problem) throw new SinceStateError(file, `its header is damaged (${problem})`);
  return { manifest: json as StateManifest, offset: end + 1 };
}

/** What is wrong with a parsed header, or undefined when it is a well-formed manifest. */
function manifestProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return 'not an object';
  const m = json as Record<string, unknown>;
  if (typeof m.snapshotBackend !== 'string') return 'snapshotBackend';
  if (typeof m.savedAt !== 'string') return 'savedAt';
  if (!Array.isArray(m.roots)) return 'roots';
  for (const [i, r] of (m.roots as unknown[]).entries()) {
    const root = r as Record<string, unknown>;
    const ok =
      typeof r === 'object' && r !== null && isByteString(root.path) &&
      (root.kind === 'dir'
        ? isSnapshotRecord(root) && (root.older === undefined || (Array.isArray(root.older) && root.older.every(isSnapshotRecord)))
        : root.kind === 'file' && [root.ino, root.size, root.mtimeNs].every((v) => typeof v === 'string' && /^\d+$/.test(v)));
    if (!ok) return `roots[${i}]`;
  }
  return undefined;
}

function isSnapshotRecord(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const s = json as Record<string, unknown>;
  return Number.isSafeInteger(s.bytes) && (s.bytes as number) >= 0 && typeof s.sha256 === 'string' && /^[0-9a-f]{64}$/.test(s.sha256) &&
    (s.scope === undefined || isScope(s.scope));
}

function isScope(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const s = json as Record<string, unknown>;
  return typeof s.recursive === 'boolean' && Array.isArray(s.skip) && s.skip.every(isByteString);
}

function isByteString(v: unknown): v is ByteString {
  return typeof v === 'string' && /^[\x00-\xff]+$/.test(v);
}

/** Copies `length` bytes at `position` of `fd` to `out` (when given); returns their SHA-256. */
function copyRange(fd: number, position: number, length: number, out?: number): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, length - done), position + done);
    if (n === 0) throw new Error('file shrank while being read');
    hash.update(buf.subarray(0, n));
    if (out !== undefined) writeAll(out, buf.subarray(0, n));
    done += n;
  }
  return hash.digest('hex');
}

function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

/** A snapshot for writeStateFile: parcel wrote it to the file `file`. */
export interface SnapshotToWrite {
  readonly file: string;
  readonly scope: Scope | undefined;
}

/** A directory root for writeStateFile: its snapshots, newest first (see DirRecord). */
export type RootToWrite = { readonly kind: 'dir'; readonly path: ByteString; readonly snapshots: readonly SnapshotToWrite[] } | FileRecord;

/** Replaces the state file atomically. Throws SinceSaveError; the old state file is then unchanged. */
export function writeStateFile(file: ByteString, snapshotBackend: string, roots: readonly RootToWrite[]): void {
  const temp = asBytes(`${file}.tmp-${process.pid}`);
  try {
    const records: RootRecord[] = roots.map((root) => {
      if (root.kind === 'file') return root;
      const [own, ...older] = root.snapshots.map(snapshotRecord);
      return { kind: 'dir', path: root.path, ...own!, ...(older.length > 0 ? { older } : {}) };
    });
    const manifest: StateManifest = { snapshotBackend, savedAt: new Date().toISOString(), roots: records };
    const magic = records.some((r) => r.kind === 'dir' && r.older) ? MAGIC_OLDER : MAGIC;
    const out = openSync(toBuffer(temp), 'w', 0o600);
    try {
      writeAll(out, Buffer.from(`${magic}\n${JSON.stringify(manifest)}\n`, 'utf8'));
      for (const root of roots) {
        if (root.kind !== 'dir') continue;
        for (const snapshot of root.snapshots) {
          const fd = openSync(snapshot.file, 'r');
          try {
            copyRange(fd, 0, fstatSync(fd).size, out);
          } finally {
            closeSync(fd);
          }
        }
      }
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(toBuffer(temp), toBuffer(file));
    syncDir(asBytes(dirname(file)));
  } catch (err) {
    rmSync(toBuffer(temp), { force: true }); // never created, or renamed already
    if (err instanceof SinceSaveError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new SinceSaveError(file, typeof e.errno === 'number' ? strerror(Math.abs(e.errno), e.message) : e.message);
  }
}

/** A snapshot's length and checksum (read from its file), with its scope when known. */
function snapshotRecord(snapshot: SnapshotToWrite): SnapshotRecord {
  const fd = openSync(snapshot.file, 'r');
  try {
    const bytes = fstatSync(fd).size;
    return { bytes, sha256: copyRange(fd, 0, bytes), ...(snapshot.scope ? { scope: snapshot.scope } : {}) };
  } finally {
    closeSync(fd);
  }
}

/** Makes the rename durable. Not every platform can open a directory (Windows): best effort there. */
function syncDir(dir: ByteString): void {
  let fd: number | undefined;
  try {
    fd = openSync(toBuffer(dir), 'r');
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes what killed runs (SIGKILL mid-save) left beside this state file: `.tmp-PID` and `.tmp-PID.d`. */
export function removeStaleTemps(file: ByteString): void {
  const dir = asBytes(dirname(file));
  const prefix = `${basename(file)}.tmp-`;
  let names: Buffer[];
  try {
    names = readdirSync(toBuffer(dir), { encoding: 'buffer' });
  } catch {
    return;
  }
  for (const raw of names) {
    const name = raw.toString('latin1');
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length).replace(/\.d$/, '')) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    rmSync(toBuffer(asBytes(`${dir}/${name}`)), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
