/**
 * inotify event bits (inotify(7)) as a branded number type. The names, their orders and the parsing and
 * rendering rules are in event-names.ts, from one table.
 */

declare const eventMaskBrand: unique symbol;

/**
 * A bit set of inotify event flags, as the kernel reports it in `struct inotify_event.mask`. Branded, so that a
 * watch descriptor, a cookie or a length cannot be passed where a mask is meant: {@link asMask} is the way in.
 * Reading bits (`mask & IN_CREATE`) needs nothing; combining them (`|`) gives a plain number again.
 */
export type EventMask = number & { readonly [eventMaskBrand]: true };

/** A kernel mask word, or bits combined with `|`, as an {@link EventMask} (unsigned: bit 31 is IN_ONESHOT). */
export function asMask(bits: number): EventMask {
  return (bits >>> 0) as EventMask;
}

/** The union of masks. */
export function maskOf(...masks: readonly number[]): EventMask {
  let bits = 0;
  for (const m of masks) bits |= m;
  return asMask(bits);
}

export const NO_EVENTS = asMask(0);
export const IN_ACCESS = asMask(0x00000001);
export const IN_MODIFY = asMask(0x00000002);
export const IN_ATTRIB = asMask(0x00000004);
export const IN_CLOSE_WRITE = asMask(0x00000008);
export const IN_CLOSE_NOWRITE = asMask(0x00000010);
export const IN_CLOSE = maskOf(IN_CLOSE_WRITE, IN_CLOSE_NOWRITE);
export const IN_OPEN = asMask(0x00000020);
export const IN_MOVED_FROM = asMask(0x00000040);
export const IN_MOVED_TO = asMask(0x00000080);
export const IN_MOVE = maskOf(IN_MOVED_FROM, IN_MOVED_TO);
export const IN_CREATE = asMask(0x00000100);
export const IN_DELETE = asMask(0x00000200);
export const IN_DELETE_SELF = asMask(0x00000400);
export const IN_MOVE_SELF = asMask(0x00000800);
export const IN_ALL_EVENTS = asMask(0x00000fff);
export const IN_UNMOUNT = asMask(0x00002000);
export const IN_Q_OVERFLOW = asMask(0x00004000);
export const IN_IGNORED = asMask(0x00008000);
export const IN_ONLYDIR = asMask(0x01000000);
export const IN_DONT_FOLLOW = asMask(0x02000000);
export const IN_EXCL_UNLINK = asMask(0x04000000);
export const IN_MASK_ADD = asMask(0x20000000);
export const IN_ISDIR = asMask(0x40000000);
export const IN_ONESHOT = asMask(0x80000000);
