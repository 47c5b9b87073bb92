/**
 * Paths between our byte strings and @parcel/watcher, which speaks UTF-8 JS strings: roots must be valid
 * UTF-8 (checked, never guessed), event paths are made relative to their root, and names that parcel
 * decoded lossily (invalid UTF-8 comes out as U+FFFD) are recovered from the directory when still there.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { ByteString } from '../../model/bytes.js';
import { fromText, toBuffer, toText } from '../../model/bytes.js';
import { asBytes } from '../../model/bytes.js';

/** A path as parcel must be given it, or undefined when its bytes are not valid UTF-8. */
export function parcelText(path: ByteString): string | undefined {
  const text = toText(path);
  return fromText(text) === path ? text : undefined;
}

/** The real path (symlinks resolved) as bytes: parcel cannot watch through a symlinked root. */
export function realPath(path: ByteString): ByteString {
  return asBytes((realpathSync(toBuffer(path), { encoding: 'buffer' }) as Buffer).toString('latin1'));
}

/** An excluded directory relative to a root's real path, when it lies inside that root. */
export function excludedRel(rootReal: ByteString, dir: ByteString): ByteString | undefined {
  let abs: ByteString;
  try {
    abs = realPath(dir);
  } catch {
    abs = asBytes(resolve(fromText(process.cwd()), dir));
  }
  const prefix = rootReal.endsWith('/') ? rootReal : rootReal + '/';
  return abs.startsWith(prefix) ? asBytes(abs.slice(prefix.length).replace(/\/+$/, '')) : undefined;
}

/** `abs` relative to `root` with `/` separators; '' for the root itself; undefined when outside it. */
export function relativeTo(root: string, abs: string): string | undefined {
  if (abs === root) return '';
  const prefix = root.endsWith(sep) ? root : root + sep;
  if (!abs.startsWith(prefix)) return undefined;
  const rel = abs.slice(prefix.length);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

const GLOB_CHARS = /[*?[\]{}()!@+|\\]/;
const REGEX_SPECIALS = /[\\^$.|?*+()[\]{}]/g;
const SEP_SOURCE = sep === '/' ? '/' : '[\\\\/]';

function escapeRegExp(text: string): string {
  return text.replace(REGEX_SPECIALS, '\\$&');
}

export interface IgnoreSpec {
  /** The directory parcel watches or snapshots, as text. */
  readonly dir: string;
  /** False: only the direct entries of `dir`. */
  readonly recursive: boolean;
  /** Relative paths (`/`-separated) of subtrees to leave out. */
  readonly skip?: Iterable<string>;
  /** Report this one entry of `dir` only (a watched file: parcel watches its directory). */
  readonly onlyEntry?: string;
}

/**
 * parcel's `ignore` for a spec. parcel reads a plain string as a path (resolved against the root) but a
 * string with glob characters as a glob matched against the root-relative path, so a literal path that
 * looks like a glob is passed as an anchored RegExp instead (which parcel also matches root-relative).
 */
export function parcelIgnore(spec: IgnoreSpec): (string | RegExp)[] {
  const ignore: (string | RegExp)[] = [];
  if (spec.onlyEntry !== undefined) ignore.push(new RegExp(`^(?!${escapeRegExp(spec.onlyEntry)}$)`));
  else if (!spec.recursive) ignore.push(new RegExp(SEP_SOURCE));
  for (const rel of spec.skip ?? []) {
    const native = sep === '/' ? rel : rel.split('/').join(sep);
    ignore.push(GLOB_CHARS.test(rel) ? new RegExp(`^${escapeRegExp(native)}(?:${SEP_SOURCE}|$)`) : spec.dir + sep + native);
  }
  return ignore;
}

/** True when `rel` is `dirRel` or inside it. */
export function isUnder(rel: ByteString, dirRel: ByteString): boolean {
  return rel === dirRel || rel.startsWith(dirRel + '/');
}

/**
 * Turns parcel's relative names back into bytes. Valid UTF-8 converts directly; a component with U+FFFD
 * is looked up in its directory by how its bytes decode. Recovered names are remembered so that their
 * later DELETE (the entry is gone by then) keeps the exact bytes.
 */
export class NameRecovery {
  readonly #recovered = new Map<string, ByteString>();

  bytes(root: ByteString, rel: string, deleted: boolean): ByteString {
    if (!rel.includes('\uFFFD')) return fromText(rel);
    const known = this.#recovered.get(rel);
    if (known !== undefined) {
      if (deleted) this.#recovered.delete(rel);
      return known;
    }
    let dir = root;
    const parts: ByteString[] = [];
    for (const part of rel.split('/')) {
      const bytes = part.includes('\uFFFD') ? (lookUp(dir, part) ?? fromText(part)) : fromText(part);
      parts.push(bytes);
      dir = asBytes(`${dir}/${bytes}`);
    }
    const bytes = asBytes(parts.join('/'));
    if (!deleted) this.#recovered.set(rel, bytes);
    return bytes;
  }
}

/** The one entry of `dir` whose bytes decode (lossily) to `decoded`; undefined when none or ambiguous. */
function lookUp(dir: ByteString, decoded: string): ByteString | undefined {
  let names: Buffer[];
  try {
    names = readdirSync(toBuffer(dir), { encoding: 'buffer' });
  } catch {
    return undefined;
  }
  const matches = names.filter((name) => name.toString('utf8') === decoded);
  return matches.length === 1 ? asBytes(matches[0]!.toString('latin1')) : undefined;
}
