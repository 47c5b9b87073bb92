/**
 * The libc calls a worker thread makes when it runs from source text (a `worker_threads` Worker with
 * `eval: true`, so that a bundled CLI needs no second file). This function is passed as text
 * (`bindWorkerCalls.toString()`), so it must stay self-contained: nothing from outside but its arguments.
 */
export interface WorkerCalls {
  read(fd: number, buf: Buffer, count: number): number;
  poll(fds: Buffer, nfds: number, timeout: number): number;
  /** Watches a new directory the moment its CREATE is read (the path a NUL-terminated Buffer). */
  inotifyAddWatch(fd: number, path: Buffer, mask: number): number;
  /** Drops the watches of a directory that left the tree (an IGNORED follows). */
  inotifyRmWatch(fd: number, wd: number): number;
  /** errno read through `__errno_location()`: koffi.errno() read 0 after a failed read() in a worker
   *  thread (Node 20, koffi 3); so does libc's own errno at times, so callers treat 0 as "no error". */
  errno(): number;
}

export function bindWorkerCalls(require: (id: string) => unknown, koffiPath: string): WorkerCalls {
  interface Koffi {
    load(name: string | null): { func(signature: string): (...args: unknown[]) => unknown };
    decode(pointer: unknown, type: string): number;
  }
  const koffi = require(koffiPath) as Koffi;
  const libc = koffi.load(null);
  const read = libc.func('intptr_t read(int fd, void *buf, size_t count)') as WorkerCalls['read'];
  const poll = libc.func('int poll(void *fds, uint64_t nfds, int timeout)') as WorkerCalls['poll'];
  const inotifyAddWatch = libc.func('int inotify_add_watch(int fd, void *path, uint32_t mask)') as WorkerCalls['inotifyAddWatch'];
  const inotifyRmWatch = libc.func('int inotify_rm_watch(int fd, int wd)') as WorkerCalls['inotifyRmWatch'];
  const errnoLocation = libc.func('int *__errno_location()') as () => unknown;
  return { read, poll, inotifyAddWatch, inotifyRmWatch, errno: () => koffi.decode(errnoLocation(), 'int') };
}
