/**
 * fanotify(7): the group (fanotify_init) and its marks (fanotify_mark), with the constants by name from
 * <linux/fanotify.h>. Paths are raw bytes (NUL-terminated Buffers); masks fit in 32 bits for every event
 * the toolkit asks for, but the kernel's mask is 64-bit, so it is passed as uint64_t.
 */
import { lazy } from './library.js';

// fanotify_init flags
export const FAN_CLOEXEC = 0x1;
export const FAN_NONBLOCK = 0x2;
export const FAN_CLASS_NOTIF = 0x0;
export const FAN_UNLIMITED_QUEUE = 0x10;
export const FAN_REPORT_TID = 0x100;
export const FAN_REPORT_FID = 0x200;
export const FAN_REPORT_DIR_FID = 0x400;
export const FAN_REPORT_NAME = 0x800;
export const FAN_REPORT_TARGET_FID = 0x1000;
export const FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;

// fanotify_mark flags
export const FAN_MARK_ADD = 0x1;
export const FAN_MARK_REMOVE = 0x2;
export const FAN_MARK_DONT_FOLLOW = 0x4;
export const FAN_MARK_ONLYDIR = 0x8;
export const FAN_MARK_INODE = 0x0;
export const FAN_MARK_MOUNT = 0x10;
export const FAN_MARK_FLUSH = 0x80;
export const FAN_MARK_FILESYSTEM = 0x100;

// events (the first twelve are inotify's bits, on purpose)
export const FAN_ACCESS = 0x1;
export const FAN_MODIFY = 0x2;
export const FAN_ATTRIB = 0x4;
export const FAN_CLOSE_WRITE = 0x8;
export const FAN_CLOSE_NOWRITE = 0x10;
export const FAN_OPEN = 0x20;
export const FAN_MOVED_FROM = 0x40;
export const FAN_MOVED_TO = 0x80;
export const FAN_CREATE = 0x100;
export const FAN_DELETE = 0x200;
export const FAN_DELETE_SELF = 0x400;
export const FAN_MOVE_SELF = 0x800;
export const FAN_OPEN_EXEC = 0x1000;
export const FAN_Q_OVERFLOW = 0x4000;
export const FAN_FS_ERROR = 0x8000;
export const FAN_RENAME = 0x10000000;
export const FAN_EVENT_ON_CHILD = 0x08000000;
export const FAN_ONDIR = 0x40000000;

// event metadata and info records
export const FANOTIFY_METADATA_VERSION = 3;
export const FAN_EVENT_METADATA_LEN = 24;
export const FAN_NOFD = -1;
export const FAN_EVENT_INFO_TYPE_FID = 1;
export const FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
export const FAN_EVENT_INFO_TYPE_DFID = 3;
export const FAN_EVENT_INFO_TYPE_PIDFD = 4;
export const FAN_EVENT_INFO_TYPE_ERROR = 5;
export const FAN_EVENT_INFO_TYPE_OLD_DFID_NAME = 10;
export const FAN_EVENT_INFO_TYPE_NEW_DFID_NAME = 12;

export const fanotifyInit = lazy<(flags: number, eventFlags: number) => number>(
  'int fanotify_init(unsigned int flags, unsigned int event_f_flags)',
);
/** `path` null with `dirfd` alone marks the object dirfd refers to. */
export const fanotifyMark = lazy<(fd: number, flags: number, mask: number, dirfd: number, path: Buffer | null) => number>(
  'int fanotify_mark(int fd, unsigned int flags, uint64_t mask, int dirfd, void *pathname)',
);
