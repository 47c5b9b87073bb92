/**
 * The few libc calls procwatch makes through koffi, loaded on first use so that a plain search never pays
 * for the FFI. Everything here is Linux/glibc-specific.
 */
import { createRequire } from 'node:module';

type Koffi = typeof import('koffi');

/** Bound libc functions. */
export interface Libc {
  /** pidfd_open(2); -1 with errno on failure. */
  pidfdOpen(pid: number): number;
  /** poll(2) on a buffer of `struct pollfd`, run on a worker thread. */
  pollAsync(fds: Buffer, nfds: number, timeoutMs: number, cb: (err: unknown, res: number) => void): void;
  /** eventfd(2) with EFD_NONBLOCK | EFD_CLOEXEC. */
  eventfd(): number;
  /** write(2) of an 8-byte counter increment to an eventfd. */
  eventfdSignal(fd: number): void;
  /** read(2) of an eventfd's counter, resetting it (non-blocking: nothing happens when it is zero). */
  eventfdDrain(fd: number): void;
  close(fd: number): void;
  errno(): number;
  /** The soft RLIMIT_NOFILE: how many file descriptors this process may hold. */
  maxOpenFiles(): number;
  /** getpwnam(3)/getpwuid(3) for users not in /etc/passwd (NSS: LDAP, systemd-homed, …). */
  userByName(name: string): { name: string; uid: number } | undefined;
  userById(uid: number): { name: string; uid: number } | undefined;
}

/** x86_64 and aarch64 share no syscall numbers, but pidfd_open is 434 on every arch except alpha. */
const SYS_pidfd_open = 434;
const EFD_NONBLOCK = 0o4000;
const EFD_CLOEXEC = 0o2000000;
const RLIMIT_NOFILE = 7;

let cached: Libc | undefined;

export function libc(): Libc {
  if (cached) return cached;
  // Required on first use rather than imported: most runs (a plain search) never need the FFI.
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  // glibc ≥ 2.36 exports pidfd_open; older ones need the raw syscall.
  let pidfdOpen: (pid: number) => number;
  try {
    const fn = lib.func('int pidfd_open(int pid, unsigned int flags)');
    pidfdOpen = (pid) => fn(pid, 0) as number;
  } catch {
    const syscall = lib.func('long syscall(long number, ...)');
    pidfdOpen = (pid) => Number(syscall(SYS_pidfd_open, 'int', pid, 'unsigned int', 0));
  }
  const poll = lib.func('int poll(void *fds, unsigned long nfds, int timeout)');
  const eventfd = lib.func('int eventfd(unsigned int initval, int flags)');
  const write = lib.func('long write(int fd, const void *buf, unsigned long count)');
  const read = lib.func('long read(int fd, void *buf, unsigned long count)');
  const close = lib.func('int close(int fd)');
  const getrlimit = lib.func('int getrlimit(int resource, void *rlim)');
  const passwd = koffi.struct('procwatch_passwd', {
    pw_name: 'str',
    pw_passwd: 'str',
    pw_uid: 'uint32_t',
    pw_gid: 'uint32_t',
    pw_gecos: 'str',
    pw_dir: 'str',
    pw_shell: 'str',
  });
  const getpwnam = lib.func('getpwnam', koffi.pointer(passwd), ['str']);
  const getpwuid = lib.func('getpwuid', koffi.pointer(passwd), ['uint32_t']);
  const one = Buffer.alloc(8);
  const scratch = Buffer.alloc(8);
  one.writeBigUInt64LE(1n);
  const decodeUser = (ptr: unknown): { name: string; uid: number } | undefined => {
    if (ptr === null || ptr === undefined) return undefined;
    const pw = koffi.decode(ptr, passwd) as { pw_name: string; pw_uid: number };
    return { name: pw.pw_name, uid: pw.pw_uid };
  };
  cached = {
    pidfdOpen,
    pollAsync: (fds, nfds, timeoutMs, cb) => poll.async(fds, nfds, timeoutMs, cb),
    eventfd: () => eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) as number,
    eventfdSignal: (fd) => void write(fd, one, 8),
    eventfdDrain: (fd) => void read(fd, scratch, 8),
    close: (fd) => void close(fd),
    errno: () => koffi.errno(),
    maxOpenFiles: () => {
      const rlim = Buffer.alloc(16); // struct rlimit { rlim_t rlim_cur, rlim_max; }
      if (getrlimit(RLIMIT_NOFILE, rlim) !== 0) return 1024;
      const soft = rlim.readBigUInt64LE(0);
      return soft > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(soft);
    },
    userByName: (name) => decodeUser(getpwnam(name)),
    userById: (uid) => decodeUser(getpwuid(uid)),
  };
  return cached;
}
