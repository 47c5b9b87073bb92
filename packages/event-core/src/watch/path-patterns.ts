/**
 * watch()'s include/exclude: globs (strings) and regular expressions over a path as text, turned into the
 * engine's byte-level filter. A glob without `/` matches the last component (`*.tmp`, `node_modules`), one
 * with `/` the whole path (`src/**\/*.c`); a RegExp is searched in the whole path.
 */
import type { ByteString } from '../model/bytes.js';
import { asBytes, fromText, toText } from '../model/bytes.js';
import type { PathFilter } from '../filter/filter.js';
import { compileGlob } from '../filter/glob.js';

/** A glob (string), a regular expression, or a test of your own, on the event's path as text. */
export type PathPattern = string | RegExp | ((path: string) => boolean);

type Matcher = (path: ByteString) => boolean;

function matcher(pattern: PathPattern): Matcher {
  if (typeof pattern === 'function') return (path) => pattern(toText(path));
  if (pattern instanceof RegExp) {
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')); // no lastIndex state
    return (path) => re.test(toText(path));
  }
  const glob = fromText(pattern);
  const re = compileGlob(glob);
  if (glob.includes('/')) return (path) => re.test(path);
  return (path) => re.test(asBytes(path.slice(path.lastIndexOf('/') + 1)));
}

function list(patterns: PathPattern | readonly PathPattern[] | undefined): Matcher[] {
  if (patterns === undefined) return [];
  return (Array.isArray(patterns) ? patterns : [patterns]).map(matcher);
}

/** A path without the `/` the engine gives directories. */
function bare(path: ByteString): ByteString {
  return path.length > 1 && path.endsWith('/') ? asBytes(path.slice(0, -1)) : path;
}

export interface CompiledPatterns {
  /** Keeps an event (by `%w%f`): no exclude matches and, when there are includes, one does. */
  readonly filter: PathFilter | undefined;
  /** Leaves an excluded directory unwatched (nothing below it can be reported). */
  readonly pruneDir: ((dirPath: ByteString) => boolean) | undefined;
}

export function compilePatterns(
  include: PathPattern | readonly PathPattern[] | undefined,
  exclude: PathPattern | readonly PathPattern[] | undefined,
): CompiledPatterns {
  const inc = list(include);
  const exc = list(exclude);
  if (inc.length === 0 && exc.length === 0) return { filter: undefined, pruneDir: undefined };
  const excluded = (path: ByteString) => exc.some((m) => m(path));
  return {
    filter: (path) => {
      const p = bare(path);
      return !excluded(p) && (inc.length === 0 || inc.some((m) => m(p)));
    },
    pruneDir: exc.length === 0 ? undefined : (dirPath) => excluded(bare(dirPath)),
  };
}
