/**
 * Netlink sockets (netlink(7)): socket, bind to multicast groups, send to the kernel, non-blocking recv,
 * and the receive buffer's size. Only what the proc connector needs; constants by their C names.
 */
import { EAGAIN, EINTR, ENOBUFS, errno } from './errno.js';
import { close } from './fd.js';
import { lazy } from './library.js';

export const AF_NETLINK = 16;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
/** The kernel connector (linux/connector.h), carrier of the process events. */
export const NETLINK_CONNECTOR = 11;
/** Generic netlink (genetlink), carrier of taskstats. */
export const NETLINK_GENERIC = 16;

export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
/** Like SO_RCVBUF, above net.core.rmem_max; needs CAP_NET_ADMIN. */
export const SO_RCVBUFFORCE = 33;

/** struct nlmsghdr: { u32 len; u16 type; u16 flags; u32 seq; u32 pid; } */
export const NLMSG_HDRLEN = 16;
export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

/** Messages are padded to 4 bytes (NLMSG_ALIGN). */
export function nlmsgAlign(len: number): number {
  return (len + 3) & ~3;
}

const socket = lazy<(domain: number, type: number, protocol: number) => number>('int socket(int domain, int type, int protocol)');
const bind = lazy<(fd: number, addr: Buffer, len: number) => number>('int bind(int fd, void *addr, uint32_t len)');
const send = lazy<(fd: number, buf: Buffer, len: number, flags: number) => number>('intptr_t send(int fd, void *buf, size_t len, int flags)');
const recv = lazy<(fd: number, buf: Buffer, len: number, flags: number) => number>('intptr_t recv(int fd, void *buf, size_t len, int flags)');
const setsockopt = lazy<(fd: number, level: number, name: number, value: Buffer, len: number) => number>(
  'int setsockopt(int fd, int level, int name, void *value, uint32_t len)',
);
const getsockopt = lazy<(fd: number, level: number, name: number, value: Buffer, len: Buffer) => number>(
  'int getsockopt(int fd, int level, int name, void *value, void *len)',
);

/** A failed socket call: which one, and its errno (EPERM from bind means no CAP_NET_ADMIN). */
export class NetlinkError extends Error {
  constructor(readonly call: string, readonly errno: number) {
    super(`${call} failed (errno ${errno})`);
    this.name = 'NetlinkError';
  }
}

/**
 * A non-blocking, close-on-exec netlink datagram socket of `protocol`, bound to the multicast `groups`
 * (a bit mask; sockaddr_nl.nl_groups) with a port id the kernel picks. Throws NetlinkError.
 */
export function openNetlink(protocol: number, groups: number): number {
  const fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) throw new NetlinkError('socket', errno());
  // struct sockaddr_nl { u16 nl_family; u16 nl_pad; u32 nl_pid; u32 nl_groups; }; nl_pid 0: the kernel assigns one.
  const addr = Buffer.alloc(12);
  addr.writeUInt16LE(AF_NETLINK, 0);
  addr.writeUInt32LE(groups >>> 0, 8);
  if (bind(fd, addr, addr.length) !== 0) {
    const err = errno();
    close(fd);
    throw new NetlinkError('bind', err);
  }
  return fd;
}

/** Sends one datagram to the kernel (an unconnected netlink socket's default peer). Throws NetlinkError. */
export function netlinkSend(fd: number, message: Buffer): void {
  if (send(fd, message, message.length, 0) < 0) throw new NetlinkError('send', errno());
}

/**
 * One non-blocking recv into `buf`: the datagram's length, or -errno (-EAGAIN when nothing is queued,
 * -ENOBUFS when the kernel dropped messages because the receive buffer was full).
 */
export function netlinkRecv(fd: number, buf: Buffer): number {
  const n = recv(fd, buf, buf.length, 0);
  return n < 0 ? -errno() : n;
}

/**
 * Reads what is queued now, without blocking: `onDatagram(n)` for each datagram of `n` bytes in `buf`, at
 * most `max` of them. Returns how many times recv said ENOBUFS (the kernel dropped messages); any error
 * other than EAGAIN, EINTR and ENOBUFS is thrown as a NetlinkError.
 */
export function netlinkDrain(fd: number, buf: Buffer, max: number, onDatagram: (n: number) => void): number {
  let overruns = 0;
  for (let i = 0; i < max; i++) {
    const n = netlinkRecv(fd, buf);
    if (n === -ENOBUFS) {
      overruns += 1;
      continue;
    }
    if (n === -EAGAIN || n === -EINTR) break;
    if (n < 0) throw new NetlinkError('recv', -n);
    onDatagram(n);
  }
  return overruns;
}

/**
 * Asks for a receive buffer of `bytes`: SO_RCVBUFFORCE first (root may go past net.core.rmem_max), else
 * SO_RCVBUF (capped by rmem_max). Returns the size the kernel granted (it doubles the request for its
 * bookkeeping, see socket(7)).
 */
export function setReceiveBuffer(fd: number, bytes: number): number {
  const value = Buffer.alloc(4);
  value.writeInt32LE(bytes, 0);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) !== 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
  return receiveBuffer(fd);
}

/** The receive buffer's size now, bytes (SO_RCVBUF); -1 when it cannot be read. */
export function receiveBuffer(fd: number): number {
  const value = Buffer.alloc(4);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(4, 0);
  return getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, len) === 0 ? value.readInt32LE(0) : -1;
}
