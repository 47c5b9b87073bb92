/**
 * inotify event masks (inotify(7)) and their names, with inotify-tools' rendering and parsing rules.
 */

/** A bit set of inotify event flags, as the kernel reports it in `struct inotify_event.mask`. */
export type EventMask = number;

export const IN_ACCESS = 0x00000001;
export const IN_MODIFY = 0x00000002;
export const IN_ATTRIB = 0x00000004;
export const IN_CLOSE_WRITE = 0x00000008;
export const IN_CLOSE_NOWRITE = 0x00000010;
export const IN_CLOSE = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE;
export const IN_OPEN = 0x00000020;
export const IN_MOVED_FROM = 0x00000040;
export const IN_MOVED_TO = 0x00000080;
export const IN_MOVE = IN_MOVED_FROM | IN_MOVED_TO;
export const IN_CREATE = 0x00000100;
export const IN_DELETE = 0x00000200;
export const IN_DELETE_SELF = 0x00000400;
export const IN_MOVE_SELF = 0x00000800;
export const IN_ALL_EVENTS = 0x00000fff;
export const IN_UNMOUNT = 0x00002000;
export const IN_Q_OVERFLOW = 0x00004000;
export const IN_IGNORED = 0x00008000;
export const IN_ONLYDIR = 0x01000000;
export const IN_DONT_FOLLOW = 0x02000000;
export const IN_EXCL_UNLINK = 0x04000000;
export const IN_MASK_ADD = 0x20000000;
export const IN_ISDIR = 0x40000000;
export const IN_ONESHOT = 0x80000000;

/** Names accepted by `-e` (case-insensitive), as inotify-tools' `inotifytools_str_to_event` knows them. */
const NAME_TO_MASK: ReadonlyMap<string, EventMask> = new Map([
  ['access', IN_ACCESS],
  ['modify', IN_MODIFY],
  ['attrib', IN_ATTRIB],
  ['close_write', IN_CLOSE_WRITE],
  ['close_nowrite', IN_CLOSE_NOWRITE],
  ['close', IN_CLOSE],
  ['open', IN_OPEN],
  ['moved_from', IN_MOVED_FROM],
  ['moved_to', IN_MOVED_TO],
  ['move', IN_MOVE],
  ['move_self', IN_MOVE_SELF],
  ['create', IN_CREATE],
  ['delete', IN_DELETE],
  ['delete_self', IN_DELETE_SELF],
  ['unmount', IN_UNMOUNT],
  ['q_overflow', IN_Q_OVERFLOW],
  ['ignored', IN_IGNORED],
  ['isdir', IN_ISDIR],
  ['oneshot', IN_ONESHOT],
  ['all_events', IN_ALL_EVENTS],
]);

/** The names `-e` accepts, lower-case, in inotify-tools' order (for shell completion). */
export const EVENT_NAMES: readonly string[] = [...NAME_TO_MASK.keys()];

/** The rendering order inotify-tools uses: `CLOSE` after the single events, `ISDIR` (then ONESHOT) last. */
const RENDER_ORDER: ReadonlyArray<readonly [EventMask, string]> = [
  [IN_ACCESS, 'ACCESS'],
  [IN_MODIFY, 'MODIFY'],
  [IN_ATTRIB, 'ATTRIB'],
  [IN_CLOSE_WRITE, 'CLOSE_WRITE'],
  [IN_CLOSE_NOWRITE, 'CLOSE_NOWRITE'],
  [IN_OPEN, 'OPEN'],
  [IN_MOVED_FROM, 'MOVED_FROM'],
  [IN_MOVED_TO, 'MOVED_TO'],
  [IN_CREATE, 'CREATE'],
  [IN_DELETE, 'DELETE'],
  [IN_DELETE_SELF, 'DELETE_SELF'],
  [IN_UNMOUNT, 'UNMOUNT'],
  [IN_Q_OVERFLOW, 'Q_OVERFLOW'],
  [IN_IGNORED, 'IGNORED'],
  [IN_CLOSE, 'CLOSE'],
  [IN_MOVE_SELF, 'MOVE_SELF'],
  [IN_ISDIR, 'ISDIR'],
  [IN_ONESHOT, 'ONESHOT'],
];

/** The event names of a mask, in inotify-tools' order (`CLOSE_WRITE`, `CLOSE` for a close_write). */
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

/** Thrown for an event name inotify-tools does not know. */
export class UnknownEventError extends Error {
  constructor(readonly value: string) {
    super(`'${value}' is not a valid event!  Run with the '--help' option to see a list of events.`);
    this.name = 'UnknownEventError';
  }
}

/** One event name, case-insensitive; undefined when unknown. */
export function eventNameToMask(name: string): EventMask | undefined {
  return NAME_TO_MASK.get(name.toLowerCase());
}

/**
 * Parses an `-e` value: a comma list, case-insensitive. inotify-tools' rule: an empty element anywhere
 * (`,create`, `open,`, `a,,b`) makes the whole value 0, which is not an error (it then means "all events").
 * An unknown name throws {@link UnknownEventError}.
 */
export function parseEventList(value: string): EventMask {
  let mask = 0;
  for (const part of value.split(',')) {
    if (part === '') return 0;
    const bit = eventNameToMask(part);
    if (bit === undefined) throw new UnknownEventError(value);
    mask |= bit;
  }
  return mask >>> 0;
}

/** The single-event columns inotifywatch shows, in its fixed order. */
export const STAT_EVENTS: ReadonlyArray<readonly [EventMask, string]> = [
  [IN_ACCESS, 'access'],
  [IN_MODIFY, 'modify'],
  [IN_ATTRIB, 'attrib'],
  [IN_CLOSE_WRITE, 'close_write'],
  [IN_CLOSE_NOWRITE, 'close_nowrite'],
  [IN_OPEN, 'open'],
  [IN_MOVED_FROM, 'moved_from'],
  [IN_MOVED_TO, 'moved_to'],
  [IN_MOVE_SELF, 'move_self'],
  [IN_CREATE, 'create'],
  [IN_DELETE, 'delete'],
  [IN_DELETE_SELF, 'delete_self'],
  [IN_UNMOUNT, 'unmount'],
];
