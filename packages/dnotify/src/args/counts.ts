/** The numeric options, checked strictly: `-p 2x` is an error, not 2. Values are byte strings. */
import { toText } from '@inotifykit/event-core';
import { UsageError } from '../errors.js';
import { asBytes } from '@inotifykit/event-core';

/** A count with no limit. */
export const UNLIMITED = Number.POSITIVE_INFINITY;

function integer(option: string, text: string, expected: string): number {
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`invalid ${option} '${toText(asBytes(text))}': ${expected}`);
  return value;
}

/** `-p COUNT`: a positive number; 0 or -1 mean no limit. */
export function parseProcesses(text: string): number {
  const expected = 'expected a positive number, or 0 or -1 for no limit';
  const value = integer('process count', text, expected);
  if (value === 0 || value === -1) return UNLIMITED;
  if (value < 0) throw new UsageError(`invalid process count '${toText(asBytes(text))}': ${expected}`);
  return value;
}

/** `-q DEPTH`: 0 or more; -1 means no limit. */
export function parseQueueDepth(text: string): number {
  const expected = 'expected 0 or more, or -1 for no limit';
  const value = integer('queue depth', text, expected);
  if (value === -1) return UNLIMITED;
  if (value < 0) throw new UsageError(`invalid queue depth '${toText(asBytes(text))}': ${expected}`);
  return value;
}

/** `-t COUNT`: at least 1. */
export function parseTimes(text: string): number {
  const expected = 'expected a positive number';
  const value = integer('count', text, expected);
  if (value < 1) throw new UsageError(`invalid count '${toText(asBytes(text))}': ${expected}`);
  return value;
}
