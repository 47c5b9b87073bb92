/**
 * What counts as a change: the original's six trigger kinds, mapped to inotify events.
 *
 * The original used kernel dnotify (DN_ACCESS, DN_MODIFY, DN_CREATE, DN_DELETE, DN_RENAME, DN_ATTRIB), where
 * a file moved into or out of the directory is only a DN_RENAME. Here a file that appears by rename counts
 * as created and one that leaves by rename as deleted, because that is what a listing of the directory
 * shows (a Maildir delivery is a rename from tmp/ to new/). `-R` still fires on both halves of a rename.
 */
import type { EventMask } from '@inotifykit/event-core';
import {
  IN_ACCESS, IN_ATTRIB, IN_CREATE, IN_DELETE, IN_MODIFY, IN_MOVED_FROM, IN_MOVED_TO, IN_ONLYDIR, asMask, maskOf,
} from '@inotifykit/event-core';

/** The change kinds `-A -M -C -D -R -B` select. */
export const TRIGGER_KINDS = ['access', 'modify', 'create', 'delete', 'rename', 'attrib'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** The inotify events behind each kind. */
export const KIND_MASKS: Readonly<Record<TriggerKind, EventMask>> = {
  /** A file in the directory (or the directory itself) was read. */
  access: IN_ACCESS,
  /** A file in the directory was written or truncated. */
  modify: IN_MODIFY,
  /** An entry appeared: created, or moved in (also from elsewhere in the same directory). */
  create: maskOf(IN_CREATE, IN_MOVED_TO),
  /** An entry went away: unlinked, or moved out. */
  delete: maskOf(IN_DELETE, IN_MOVED_FROM),
  /** An entry was renamed: either half of a move. */
  rename: maskOf(IN_MOVED_FROM, IN_MOVED_TO),
  /** Attributes (mode, owner, times, link count) of the directory or a file in it changed. */
  attrib: IN_ATTRIB,
};

/** The original's default when no kind is given. */
export const DEFAULT_KINDS: readonly TriggerKind[] = ['create', 'delete'];

/** The events that trigger the command. */
export function triggerMask(kinds: Iterable<TriggerKind>): EventMask {
  let mask = 0;
  for (const kind of kinds) mask |= KIND_MASKS[kind];
  return asMask(mask);
}

/**
 * The kernel mask for every watch: the trigger events, plus what the engine needs to follow new
 * subdirectories and pair directory renames when recursive (those extra events never trigger).
 */
export function kernelMask(trigger: EventMask, recursive: boolean): EventMask {
  const follow = recursive ? IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM : 0;
  return asMask(trigger | follow | IN_ONLYDIR);
}
