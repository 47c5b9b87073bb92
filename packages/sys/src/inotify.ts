/** inotify(7): the instance and its watches. The path is raw bytes (a NUL-terminated Buffer). */
import { lazy } from './library.js';

export const IN_NONBLOCK = 0o4000;
export const IN_CLOEXEC = 0o2000000;

export const inotifyInit1 = lazy<(flags: number) => number>('int inotify_init1(int flags)');
export const inotifyAddWatch = lazy<(fd: number, path: Buffer, mask: number) => number>(
  'int inotify_add_watch(int fd, void *path, uint32_t mask)',
);
export const inotifyRmWatch = lazy<(fd: number, wd: number) => number>('int inotify_rm_watch(int fd, int wd)');
