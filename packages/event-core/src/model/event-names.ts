/**
 * The one table of named event bits. `-e` parsing, inotify-tools' mask rendering, the library's options
 * (`events: ['create']`) and events' `type`, every tool's `--json` (docs/json.md) and inotifywatch's columns
 * take their names from here, and the {@link EventName} union is derived from it, so a name and its bit cannot
 * drift apart.
 */
import { InotifyKitError } from './errors.js';
import type { EventMask } from './mask.js';
import {
  IN_ACCESS, IN_ALL_EVENTS, IN_ATTRIB, IN_CLOSE, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_CREATE, IN_DELETE,
  IN_DELETE_SELF, IN_IGNORED, IN_ISDIR, IN_MODIFY, IN_MOVE, IN_MOVED_FROM, IN_MOVED_TO, IN_MOVE_SELF, IN_ONESHOT,
  IN_OPEN, IN_Q_OVERFLOW, IN_UNMOUNT, NO_EVENTS, asMask,
} from './mask.js';

/**
 * Every name `-e` accepts, in inotify-tools' order (`inotifytools_str_to_event`; completion lists them so).
 * `event`: one kernel event, reported on its own; `group`: several events, accepted, never reported; `flag`: a
 * bit that qualifies an event (IN_ISDIR) or a watch (IN_ONESHOT).
 */
const NAMED_BITS = [
  { name: 'access', bit: IN_ACCESS, kind: 'event' },
  { name: 'modify', bit: IN_MODIFY, kind: 'event' },
  { name: 'attrib', bit: IN_ATTRIB, kind: 'event' },
  { name: 'close_write', bit: IN_CLOSE_WRITE, kind: 'event' },
  { name: 'close_nowrite', bit: IN_CLOSE_NOWRITE, kind: 'event' },
  { name: 'close', bit: IN_CLOSE, kind: 'group' },
  { name: 'open', bit: IN_OPEN, kind: 'event' },
  { name: 'moved_from', bit: IN_MOVED_FROM, kind: 'event' },
  { name: 'moved_to', bit: IN_MOVED_TO, kind: 'event' },
  { name: 'move', bit: IN_MOVE, kind: 'group' },
  { name: 'move_self', bit: IN_MOVE_SELF, kind: 'event' },
  { name: 'create', bit: IN_CREATE, kind: 'event' },
  { name: 'delete', bit: IN_DELETE, kind: 'event' },
  { name: 'delete_self', bit: IN_DELETE_SELF, kind: 'event' },
  { name: 'unmount', bit: IN_UNMOUNT, kind: 'event' },
  { name: 'q_overflow', bit: IN_Q_OVERFLOW, kind: 'event' },
  { name: 'ignored', bit: IN_IGNORED, kind: 'event' },
  { name: 'isdir', bit: IN_ISDIR, kind: 'flag' },
  { name: 'oneshot', bit: IN_ONESHOT, kind: 'flag' },
  { name: 'all_events', bit: IN_ALL_EVENTS, kind: 'group' },
] as const satisfies ReadonlyArray<{ name: string; bit: EventMask; kind: 'event' | 'group' | 'flag' }>;

type NamedBit = (typeof NAMED_BITS)[number];

/** The name of one event: `'create'`, `'close_write'`, … */
export type EventName = Extract<NamedBit, { kind: 'event' }>['name'];

/** Names that stand for several events (accepted in options, never reported). */
export type EventGroupName = Extract<NamedBit, { kind: 'group' }>['name'];

const BIT_OF: ReadonlyMap<string, EventMask> = new Map(NAMED_BITS.map((b) => [b.name, b.bit]));
const bitOf = (name: string): EventMask => BIT_OF.get(name)!;

/** The names `-e` accepts, lower-case, in inotify-tools' order (for shell completion). */
export const EVENT_NAMES: readonly string[] = NAMED_BITS.map((b) => b.name);

/** Single events, in the kernel's bit order (the order `events` arrays list them in). */
export const EVENT_BITS: ReadonlyArray<readonly [EventName, EventMask]> = NAMED_BITS.filter(
  (b): b is Extract<NamedBit, { kind: 'event' }> => b.kind === 'event',
)
  .map((b) => [b.name, b.bit] as const)
  .sort((a, b) => a[1] - b[1]);

/** The groups, by name. */
export const EVENT_GROUPS: Readonly<Record<EventGroupName, EventMask>> = { close: IN_CLOSE, move: IN_MOVE, all_events: IN_ALL_EVENTS };

/**
 * inotify-tools' rendering order: the single events in bit order, except that CLOSE comes after IGNORED and
 * before MOVE_SELF, then ISDIR and ONESHOT last.
 */
const RENDER_ORDER: ReadonlyArray<readonly [EventMask, string]> = [
  'access', 'modify', 'attrib', 'close_write', 'close_nowrite', 'open', 'moved_from', 'moved_to', 'create',
  'delete', 'delete_self', 'unmount', 'q_overflow', 'ignored', 'close', 'move_self', 'isdir', 'oneshot',
].map((name) => [bitOf(name), name.toUpperCase()] as const);

/** The single events set in a mask, in bit order (flags such as IN_ISDIR are not events). */
export function eventNames(mask: EventMask): EventName[] {
  const names: EventName[] = [];
  for (const [name, bit] of EVENT_BITS) if ((mask & bit) !== 0) names.push(name);
  return names;
}

/** True for a name the table knows as a single event or a group. */
export function isEventName(name: string): name is EventName | EventGroupName {
  const kind = NAMED_BITS.find((b) => b.name === name)?.kind;
  return kind === 'event' || kind === 'group';
}

/** The mask of a list of library event names; throws a TypeError naming the first unknown one. */
export function maskOfNames(names: Iterable<string>): EventMask {
  let mask = 0;
  for (const name of names) {
    if (!isEventName(name)) {
      const known = NAMED_BITS.filter((b) => b.kind !== 'flag').map((b) => b.name);
      throw new TypeError(`unknown event name '${name}' (known: ${known.join(', ')})`);
    }
    mask |= bitOf(name);
  }
  return asMask(mask);
}

/** The event names of a mask, upper-case, in inotify-tools' order (`CLOSE_WRITE`, `CLOSE` for a close_write). */
export function maskNames(mask: EventMask): string[] {
  const names: string[] = [];
  for (const [bit, name] of RENDER_ORDER) if ((mask & bit) !== 0) names.push(name);
  return names;
}

const renderers = new Map<string, (mask: EventMask) => string>();

/**
 * A mask renderer for one separator, as inotify-tools prints masks: names joined by `sep`, or `0x%08x`
 * when no bit is known. Memoised per mask: a stream has few distinct masks, and this runs per event.
 */
export function maskRenderer(sep = ','): (mask: EventMask) => string {
  let render = renderers.get(sep);
  if (!render) {
    const cache = new Map<EventMask, string>();
    render = (mask) => {
      let text = cache.get(mask);
      if (text === undefined) {
        const names = maskNames(mask);
        text = names.length > 0 ? names.join(sep) : `0x${(mask >>> 0).toString(16).padStart(8, '0')}`;
        cache.set(mask, text);
      }
      return text;
    };
    renderers.set(sep, render);
  }
  return render;
}

/** A mask rendered as inotify-tools prints it (see maskRenderer). */
export function renderMask(mask: EventMask, sep = ','): string {
  return maskRenderer(sep)(mask);
}

/**
 * An event list names an event that the table does not know. `value` is the whole list as given; each tool
 * words the message its own way (inotifywait's "is not a valid event!"), so this one is neutral.
 */
export class UnknownEventError extends InotifyKitError {
  constructor(readonly value: string) {
    super(`unknown event name in '${value}'`, `known: ${EVENT_NAMES.join(', ')}`, { exitCode: 1 });
    this.name = 'UnknownEventError';
  }
}

/** One event name, case-insensitive; undefined when unknown. */
export function eventNameToMask(name: string): EventMask | undefined {
  return BIT_OF.get(name.toLowerCase());
}

/**
 * Parses an `-e` value: a comma list, case-insensitive. inotify-tools' rule: an empty element anywhere
 * (`,create`, `open,`, `a,,b`) makes the whole value 0, which is not an error (it then means "all events").
 * An unknown name throws {@link UnknownEventError}.
 */
export function parseEventList(value: string): EventMask {
  let mask = 0;
  for (const part of value.split(',')) {
    if (part === '') return NO_EVENTS;
    const bit = eventNameToMask(part);
    if (bit === undefined) throw new UnknownEventError(value);
    mask |= bit;
  }
  return asMask(mask);
}
