/**
 * `-a/--ascending` and `-d/--descending`: which counter orders the rows. Parsed as inotifywatch 3.22.6
 * parses them (case-insensitive `total`, event names through the `-e` parser), with two deliberate fixes:
 *
 * - `-d access` sorts by access. Upstream stores "descending by event E" as −E and "descending total" as
 *   −1, and IN_ACCESS is 1, so there `-d access` silently meant `-d total`.
 * - Keys without a counter (`-d move`, `-d close`, comma lists, flags like `isdir`) are refused with a
 *   message. Upstream refuses `-a move`/`-a close` only and crashes (SIGSEGV) on the others.
 */
import type { ByteString, EventMask } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import { IN_CLOSE, IN_MOVE, NO_EVENTS, UnknownEventError, parseEventList } from '@inotifykit/event-core';
import { UsageError } from '@inotifykit/cli-kit';
import type { Column } from '../stats/columns.js';
import { COLUMNS, columnOf } from '../stats/columns.js';
import { asBytes } from '@inotifykit/event-core';

/** How rows are ordered. Ties always go by creation order (the watch descriptor), in both directions. */
export interface SortOrder {
  /** A counter column, or `total`. */
  readonly by: Column | 'total';
  readonly descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { by: 'total', descending: true };

/** A sort option as given, before it can be checked against the `-e` set. */
export interface SortRequest {
  /** 0 for `total`, else the event mask the value names. */
  readonly mask: EventMask;
  readonly descending: boolean;
  /** The value as typed, for messages. */
  readonly text: ByteString;
}

const MOVE_REFUSAL = asBytes("Cannot sort by `move' event; please use `moved_from' or `moved_to'.");
const CLOSE_REFUSAL = asBytes("Cannot sort by `close' event; please use `close_write' or `close_nowrite'.");

/** Parses one `-a`/`-d` value; throws UsageError with upstream's wording. */
export function parseSortValue(value: ByteString, descending: boolean): SortRequest {
  const lower = value.toLowerCase();
  if (lower === 'total') return { mask: NO_EVENTS, descending, text: value };
  if (lower === 'move') throw new UsageError(MOVE_REFUSAL);
  if (lower === 'close') throw new UsageError(CLOSE_REFUSAL);
  let mask: EventMask;
  try {
    mask = parseEventList(value);
  } catch (err) {
    if (err instanceof UnknownEventError) throw new UsageError(asBytes(`'${value}' is not a valid key for sorting!`));
    throw err;
  }
  // An empty element makes the value 0, which upstream takes as `total` — ascending even after -d (−0 = 0).
  return mask === 0 ? { mask: NO_EVENTS, descending: false, text: value } : { mask, descending, text: value };
}

/** The post-parse check against the watched set, then the key's counter. Throws UsageError. */
export function resolveSort(request: SortRequest | undefined, watched: EventMask): SortOrder {
  if (!request) return DEFAULT_SORT;
  if (request.mask === 0) return { by: 'total', descending: request.descending };
  if ((request.mask & watched) === 0) throw new UsageError(asBytes("Can't sort by an event which isn't being watched for!"));
  const column = columnOf(request.mask);
  if (column) return { by: column, descending: request.descending };
  if (request.mask === IN_MOVE) throw new UsageError(MOVE_REFUSAL);
  if (request.mask === IN_CLOSE) throw new UsageError(CLOSE_REFUSAL);
  const names = COLUMNS.map((c) => c.name).join(', ');
  throw new UsageError(asBytes(`Cannot sort by \`${toText(request.text)}'; please name one event (${names}) or \`total'.`));
}
