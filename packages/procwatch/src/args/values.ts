/**
 * Option values read strictly, as typed (byte strings): numbers of seconds, PID lists, comma lists. A bad
 * value is reported with the bytes typed (`invalid --interval: abc`), never as NaN.
 */
import type { ByteString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';
import { UsageError } from '../errors.js';

/** A number of seconds as typed: digits with an optional fraction and exponent (no hex, no Infinity). */
const SECONDS = /^\s*\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** `invalid NAME: VALUE`, with the value's bytes. */
export function invalidValue(name: string, value: ByteString, hint: string): UsageError {
  return UsageError.quoting(asBytes(`invalid ${name}: ${value}`), hint);
}

/** Seconds → ms; `fallback` (seconds) when not given. */
export function seconds(text: ByteString | undefined, name: string, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback * 1000;
  const value = SECONDS.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || (!allowZero && value === 0)) {
    throw invalidValue(name, text, `${name} takes a ${allowZero ? 'non-negative' : 'positive'} number of seconds.`);
  }
  return value * 1000;
}

/** A repeatable option whose values are also comma-separated lists (`-u root,daemon -u 1000`). */
export function listValues(values: readonly ByteString[]): ByteString[] {
  return values.flatMap((v) => v.split(',').map(asBytes));
}

/** PIDs as typed; anything but digits is bad usage. */
export function parsePids(values: readonly ByteString[], option: string): number[] {
  return values.map((v) => {
    if (!/^\d+$/.test(v)) throw UsageError.quoting(asBytes(`not a number: ${v}`), `${option} takes PIDs, as numbers.`);
    return Number(v);
  });
}
