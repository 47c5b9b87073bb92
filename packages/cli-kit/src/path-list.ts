/**
 * The list of paths to watch, as inotify-tools builds it (`construct_path_list`): `--fromfile` lines first
 * (`-` = stdin), then the operands. `@path` is an exclusion (used by recursive walks); empty entries and a
 * lone `@` are skipped. Lines are read like `fgets` into a 4096-byte buffer: only a trailing newline is
 * removed (`\r` stays), a longer line is split into 4095-byte pieces, and a NUL ends the entry.
 * An unreadable `--fromfile` is reported and skipped, as 3.22 does (4.x crashes there).
 */
import { readFileSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';
import { strerror } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

export interface PathList {
  /** Paths to watch, in order, as spelled. */
  readonly paths: ByteString[];
  /** `@` exclusions, without the `@`. */
  readonly exclusions: ByteString[];
}

const FGETS_SIZE = 4096;

/**
 * Builds the list. `report` receives `Couldn't open <file>: <strerror>` when the list file cannot be read.
 */
export function buildPathList(
  operands: readonly ByteString[],
  fromfile: ByteString | undefined,
  report: (message: ByteString) => void,
): PathList {
  const list: PathList = { paths: [], exclusions: [] };
  if (fromfile !== undefined) {
    const text = readListFile(fromfile, report);
    if (text !== undefined) for (const line of fgetsLines(text)) addEntry(list, line);
  }
  for (const operand of operands) addEntry(list, operand);
  return list;
}

function addEntry(list: PathList, entry: ByteString): void {
  if (entry === '' || entry === '@') return;
  if (entry.startsWith('@')) list.exclusions.push(asBytes(entry.slice(1)));
  else list.paths.push(entry);
}

function readListFile(file: ByteString, report: (message: ByteString) => void): ByteString | undefined {
  try {
    return asBytes(readFileSync(file === '-' ? 0 : toBuffer(file)).toString('latin1'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EISDIR') return undefined; // fopen() of a directory succeeds; fgets() then reads nothing
    const errno = typeof e.errno === 'number' ? Math.abs(e.errno) : 0;
    report(asBytes(`Couldn't open ${file}: ${strerror(errno, e.message)}`));
    return undefined;
  }
}

/** The entries `fgets(buf, 4096, f)` would give, each with its trailing newline removed. */
function* fgetsLines(text: ByteString): Generator<ByteString> {
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const end = Math.min(lineEnd, at + FGETS_SIZE - 1);
    let piece = text.slice(at, end);
    at = end;
    const nul = piece.indexOf('\0');
    if (nul !== -1) piece = piece.slice(0, nul);
    yield asBytes(piece.endsWith('\n') ? piece.slice(0, -1) : piece);
  }
}
