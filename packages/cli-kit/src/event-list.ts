/**
 * `-e` lists as inotifywait and inotifywatch parse them: event-core's parser, with inotify-tools' words for a
 * name it does not know (the engine's own error is neutral; this `--help` wording belongs to the CLIs).
 */
import { UnknownEventError, parseEventList } from '@inotifykit/event-core';
import type { EventMask } from '@inotifykit/event-core';

/** inotify-tools' line for an unknown event name in `value` (the whole list, as given). */
export function unknownEventLine(value: string): string {
  return `'${value}' is not a valid event!  Run with the '--help' option to see a list of events.`;
}

/** Parses an `-e` list; an unknown name gives `{ error }` with inotify-tools' line instead of a mask. */
export function parseEventOption(value: string): { mask: EventMask; error?: undefined } | { mask?: undefined; error: string } {
  try {
    return { mask: parseEventList(value) };
  } catch (err) {
    if (err instanceof UnknownEventError) return { error: unknownEventLine(err.value) };
    throw err;
  }
}
