/**
 * `-t/--timeout` as inotify-tools parses it (`is_timeout_option_valid`): C `strtol` base 10 (leading
 * blanks and a sign allowed, the whole string consumed), then stored in an `unsigned int`, so `-1` wraps to
 * 4294967295 s (3.22: effectively forever) and 4294967296 wraps to 0 (no timeout).
 */
import type { ByteString } from '@inotifykit/event-core';
import { UsageError } from './usage-error.js';
import { asBytes } from '@inotifykit/event-core';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Seconds (0 = no timeout). Throws UsageError with inotify-tools' exact message. */
export function parseTimeoutOption(value: ByteString): number {
  if (value === '') {
    throw new UsageError(asBytes('The provided value is not a valid timeout value.\nPlease specify a long int value.'));
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(value);
  if (m) {
    let n = BigInt(m[2]!);
    if (m[1] === '-') n = -n;
    if (n < LONG_MIN || n > LONG_MAX) {
      // strtol reports ERANGE before the rest of the string is looked at.
      throw new UsageError(asBytes('Something went wrong with the timeout value you provided.\nNumerical result out of range'));
    }
    if (m[0].length === value.length) return Number(BigInt.asUintN(32, n));
  }
  throw new UsageError(asBytes(`'${value}' is not a valid timeout value.\nPlease specify a long int value.`));
}

/**
 * True for a valid timeout below zero (`-t -1`). 4.x stores `-t` in a long and aborts on a negative one
 * after setting up the watches (`Negative timeout specified - abort!`): inotify-tools' own tests probe
 * fanotify support that way, so the fanotify tools follow 4.x here.
 */
export function timeoutIsNegative(value: ByteString): boolean {
  const m = /^[ \t\n\v\f\r]*-([0-9]+)$/.exec(value);
  return m !== null && /[1-9]/.test(m[1]!);
}
