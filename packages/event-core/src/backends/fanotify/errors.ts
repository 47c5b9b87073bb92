/** Why fanotify cannot watch: missing privilege, an old kernel, a file system without file handles. */
import type { ByteString } from '../../model/bytes.js';
import { asBytes, fromText } from '../../model/bytes.js';
import { PathError, SystemError } from '../../model/errors.js';

/** fanotify_init failed, or would give a group that cannot do the job (no CAP_SYS_ADMIN). */
export class FanotifyInitError extends SystemError {
  constructor(errno: number, reason: string, why?: string) {
    super(`Couldn't initialize fanotify: ${reason}${why ? ` (${why})` : ''}`, errno, reason);
  }
}

/** The one line a run without the capability gets (inotify-tools says "requires admin privileges"). */
export function missingCapability(): FanotifyInitError {
  return new FanotifyInitError(1, 'Operation not permitted', 'fanotify needs CAP_SYS_ADMIN: run as root, or use -I for inotify');
}

/** File system magic numbers (statfs f_type) → names, for the file systems a user may meet here. */
const FS_NAMES: Readonly<Record<number, string>> = {
  0x6969: 'nfs', 0x65735546: 'fuse', 0xff534d42: 'cifs', 0xfe534d42: 'smb2', 0x9123683e: 'btrfs', 0x01021994: 'tmpfs',
  0xef53: 'ext4', 0x58465342: 'xfs', 0x794c7630: 'overlayfs', 0x9fa0: 'proc', 0x62656572: 'sysfs', 0x73717368: 'squashfs',
  0x1cd1: 'devpts', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2', 0x64626720: 'debugfs', 0x858458f6: 'ramfs',
  0x2fc12fc1: 'zfs', 0x5346544e: 'ntfs', 0x4d44: 'vfat', 0xf15f: 'ecryptfs', 0x01161970: 'gfs2', 0x6e667364: 'nfsd',
};

export function fileSystemName(type: number | undefined): string {
  if (type === undefined) return 'this file system';
  return FS_NAMES[type] ?? `file system type 0x${type.toString(16)}`;
}

/** fanotify_mark (or name_to_handle_at) failed on a path. */
export class MarkError extends PathError {
  constructor(path: ByteString, errno: number, reason: string, cause?: string) {
    super(path, errno, reason, asBytes(`Couldn't watch ${path}: ${fromText(reason)}${cause ? fromText(` (${cause})`) : ''}`));
  }
}
