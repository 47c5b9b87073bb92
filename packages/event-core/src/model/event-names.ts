/**
 * The one table of event bits and their lower-case names. The library's options (`events: ['create']`), its
 * events' `type`, and every tool's `--json` (docs/json.md) take their names from here, and the
 * {@link EventName} union is derived from it, so a name and its bit cannot drift apart.
 */
import type { EventMask } from './mask.js';
import {
  IN_ACCESS, IN_ALL_EVENTS, IN_ATTRIB, IN_CLOSE, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_CREATE, IN_DELETE,
  IN_DELETE_SELF, IN_IGNORED, IN_MODIFY, IN_MOVE, IN_MOVED_FROM, IN_MOVED_TO, IN_MOVE_SELF, IN_OPEN,
  IN_Q_OVERFLOW, IN_UNMOUNT,
} from './mask.js';

/** Single events, in the kernel's bit order (the order `events` arrays list them in). */
export const EVENT_BITS = [
  ['access', IN_ACCESS],
  ['modify', IN_MODIFY],
  ['attrib', IN_ATTRIB],
  ['close_write', IN_CLOSE_WRITE],
  ['close_nowrite', IN_CLOSE_NOWRITE],
  ['open', IN_OPEN],
  ['moved_from', IN_MOVED_FROM],
  ['moved_to', IN_MOVED_TO],
  ['create', IN_CREATE],
  ['delete', IN_DELETE],
  ['delete_self', IN_DELETE_SELF],
  ['move_self', IN_MOVE_SELF],
  ['unmount', IN_UNMOUNT],
  ['q_overflow', IN_Q_OVERFLOW],
  ['ignored', IN_IGNORED],
] as const satisfies ReadonlyArray<readonly [string, EventMask]>;

/** The name of one event: `'create'`, `'close_write'`, … */
export type EventName = (typeof EVENT_BITS)[number][0];

/** Names that stand for several events (accepted in options, never reported). */
export const EVENT_GROUPS = {
  close: IN_CLOSE,
  move: IN_MOVE,
  all_events: IN_ALL_EVENTS,
} as const satisfies Record<string, EventMask>;

export type EventGroupName = keyof typeof EVENT_GROUPS;

const BIT_OF = new Map<string, EventMask>([...EVENT_BITS, ...Object.entries(EVENT_GROUPS)]);

/** The single events set in a mask, in bit order (flags such as IN_ISDIR are not events). */
export function eventNames(mask: EventMask): EventName[] {
  const names: EventName[] = [];
  for (const [name, bit] of EVENT_BITS) if ((mask & bit) !== 0) names.push(name);
  return names;
}

/** True for a name the table knows (a single event or a group). */
export function isEventName(name: string): name is EventName | EventGroupName {
  return BIT_OF.has(name);
}

/** The mask of a list of names; throws a TypeError naming the first unknown one. */
export function maskOfNames(names: Iterable<string>): EventMask {
  let mask = 0;
  for (const name of names) {
    const bit = BIT_OF.get(name);
    if (bit === undefined) throw new TypeError(`unknown event name '${name}' (known: ${[...BIT_OF.keys()].join(', ')})`);
    mask |= bit;
  }
  return mask >>> 0;
}
