/**
 * What each backend can deliver, so a CLI can say at start-up which requested events will never come.
 * The parcel backend only learns "created", "updated" and "deleted" per path (see docs/backends.md).
 */
import type { BackendName } from '../backend.js';
import { EVENT_BITS } from '../../model/event-names.js';
import {
  IN_ACCESS, IN_ATTRIB, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_MODIFY, IN_MOVE_SELF, IN_MOVED_FROM, IN_MOVED_TO, IN_OPEN, IN_UNMOUNT,
} from '../../model/mask.js';
import type { EventMask } from '../../model/mask.js';

/** Events the parcel backend never delivers, in bit order. */
const PARCEL_NEVER = EVENT_BITS.filter(([, bit]) =>
  (bit & (IN_ACCESS | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO | IN_MOVE_SELF | IN_UNMOUNT)) !== 0);

/**
 * The requested events (a `-e` mask; 0 means all, as in inotifywait) this backend cannot deliver,
 * lower-case as `-e` spells them. `attrib` is not in the list: parcel reports it, merged with modify.
 */
export function unsupportedEvents(backend: BackendName, requested: EventMask): string[] {
  if (backend !== 'parcel') return [];
  const mask = requested === 0 ? ~0 : requested;
  return PARCEL_NEVER.filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name);
}

/**
 * The start-up notice for stderr (without a trailing newline), or undefined when the backend delivers
 * everything that was requested.
 */
export function backendNotice(backend: BackendName, requested: EventMask): string | undefined {
  if (backend !== 'parcel') return undefined;
  const lines: string[] = [];
  const missing = unsupportedEvents(backend, requested);
  if (missing.length > 0) lines.push(`The parcel backend cannot deliver: ${missing.join(', ')}.`);
  const mask = requested === 0 ? ~0 : requested;
  if (mask & (IN_MOVED_FROM | IN_MOVED_TO)) lines.push('A rename is reported as DELETE of the old name and CREATE of the new one.');
  if ((mask & (IN_MODIFY | IN_ATTRIB)) === (IN_MODIFY | IN_ATTRIB)) {
    lines.push('MODIFY means "modified or attributes changed": the parcel backend cannot tell them apart.');
  } else if (mask & IN_ATTRIB) {
    lines.push('ATTRIB means "attributes changed or modified": the parcel backend cannot tell them apart.');
  } else if (mask & IN_MODIFY) {
    lines.push('MODIFY also reports attribute changes: the parcel backend cannot tell them apart.');
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
