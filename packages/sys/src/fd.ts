/** read, write, open, close and getdents64 on raw file descriptors. Paths are NUL-terminated bytes. */
import { lazy } from './library.js';

export const O_RDONLY = 0;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

export const read = lazy<(fd: number, buf: Buffer, count: number) => number>('intptr_t read(int fd, void *buf, size_t count)');
export const write = lazy<(fd: number, buf: Buffer, count: number) => number>('intptr_t write(int fd, void *buf, size_t count)');
export const close = lazy<(fd: number) => number>('int close(int fd)');
/** open(2) with two arguments (no mode: never O_CREAT here). */
export const open = lazy<(path: Buffer, flags: number) => number>('int open(void *path, int flags)');
export const getdents64 = lazy<(fd: number, buf: Buffer, count: number) => number>('intptr_t getdents64(int fd, void *dirp, size_t count)');
