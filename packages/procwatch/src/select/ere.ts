/**
 * pgrep's patterns: POSIX extended regular expressions (regcomp(REG_EXTENDED|REG_NOSUB)), read and matched
 * by event-core's linear-time ERE engine, byte-wise (the C locale) on the process's name or command line.
 */
import { asBytes, compileEre as compileByteEre, type ByteMatcher, type ByteString } from '@inotifykit/event-core';
import { PatternError } from '../errors.js';

export interface EreOptions {
  /** pgrep -x: the whole string must match; pgrep compiles `^(pattern)$`, and so do we. */
  exact?: boolean;
  /** pgrep -i. */
  ignoreCase?: boolean;
}

/** Compile a user's ERE (the bytes typed, matched byte-wise). Throws PatternError (exit 2). */
export function compileEre(pattern: ByteString, options: EreOptions = {}): ByteMatcher {
  try {
    return compileByteEre(options.exact ? asBytes(`^(${pattern})$`) : pattern, { ignoreCase: options.ignoreCase ?? false });
  } catch (err) {
    // regerror's text for what glibc rejects (as pgrep prints it), ours for what we refuse.
    throw new PatternError(pattern, (err as Error).message);
  }
}
