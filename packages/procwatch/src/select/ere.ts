/**
 * pgrep's patterns are POSIX extended regular expressions (regcomp(REG_EXTENDED)); event-core already
 * translates those to JS RegExp source over byte strings (brackets, classes, GNU anchors), so the same
 * rules apply to file names and process names. Matching is byte-wise (the C locale): the pattern's own
 * non-ASCII characters are turned into their UTF-8 bytes so that they match the bytes of a name.
 */
import { ereToJsSource } from '@inotifykit/event-core';
import { fromText } from '../bytes.js';
import { PatternError } from '../errors.js';

export interface EreOptions {
  /** pgrep -x: the whole string must match, i.e. `^(pattern)$`. */
  exact?: boolean;
  /** pgrep -i. */
  ignoreCase?: boolean;
}

/** Compile a user's ERE into a RegExp over byte strings. Throws PatternError (exit 2). */
export function compileEre(pattern: string, options: EreOptions = {}): RegExp {
  try {
    const body = ereToJsSource(fromText(pattern));
    // 's': without REG_NEWLINE, POSIX '.' matches a newline too.
    return new RegExp(options.exact ? `^(?:${body})$` : body, options.ignoreCase ? 'is' : 's');
  } catch (err) {
    throw new PatternError(pattern, err instanceof Error ? err.message : String(err));
  }
}
