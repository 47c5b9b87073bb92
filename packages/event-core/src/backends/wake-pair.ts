/**
 * What every polling backend sets up beside its kernel descriptor: a Wake (eventfd) that ends a blocked
 * poll, and the pollfd array [fd, wake] both POLLIN. If no eventfd can be made, `fd` is closed and the
 * backend's own error for that errno is thrown.
 */
import { POLLIN, Wake, close, pollFds, strerror } from '@inotifykit/sys';

export function wakePair(fd: number, fail: (errno: number, reason: string) => Error): { wake: Wake; pollFds: Buffer } {
  let wake: Wake;
  try {
    wake = new Wake();
  } catch (err) {
    close(fd);
    const errno = (err as { errno: number }).errno;
    throw fail(errno, strerror(errno));
  }
  return { wake, pollFds: pollFds([fd, POLLIN], [wake.fd, POLLIN]) };
}
