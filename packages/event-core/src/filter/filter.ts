/**
 * Path filters on `%w%f` (the watch path plus the name), compiled once. inotify-tools uses POSIX extended
 * regular expressions (glibc `regcomp(REG_EXTENDED|REG_NOSUB)`, C locale, unanchored search); ere.ts reads
 * them exactly as glibc does and matches them in linear time on the path's bytes.
 */
import type { ByteString } from '../model/bytes.js';
import { PatternError } from '../model/errors.js';
import { type ByteMatcher, EreUnsupportedError, compileEre } from './ere.js';

/** True when an event with this `%w%f` should be kept. */
export type PathFilter = (path: ByteString) => boolean;

export interface RegexFilterSpec {
  readonly kind: 'include' | 'exclude';
  /** The pattern's bytes, as typed; matched against the path's bytes. */
  readonly pattern: ByteString;
  readonly ignoreCase: boolean;
}

/**
 * Compiles an `--include`/`--exclude` ERE. A pattern glibc rejects throws PatternError with inotify-tools'
 * line; one it accepts but we cannot match in linear time (back-references) says so on the same line.
 */
export function compileFilterRegex(pattern: ByteString, ignoreCase: boolean, kind: 'include' | 'exclude'): ByteMatcher {
  try {
    return compileEre(pattern, { ignoreCase });
  } catch (err) {
    throw new PatternError(kind, pattern, (err as Error).message, err instanceof EreUnsupportedError);
  }
}

/** Several filters: an event is kept only when every one keeps it. */
export function allOf(filters: readonly PathFilter[]): PathFilter | undefined {
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return (path) => filters.every((f) => f(path));
}
