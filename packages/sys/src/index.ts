/**
 * @inotifykit/sys — the system layer: the only package that loads koffi. Each module binds its libc
 * functions on first call, from the C library this process already runs on.
 */
export * from './errno.js';
export * from './fd.js';
export * from './stat.js';
export * from './leases.js';
export * from './inotify.js';
export * from './poll.js';
export * from './eventfd.js';
export * from './signals.js';
export * from './pidfd.js';
export * from './syslog.js';
export * from './users.js';
export * from './rlimit.js';
export * from './time.js';
export * from './fanotify.js';
export * from './handles.js';
export * from './capabilities.js';
export { koffiPath } from './library.js';
export { bindWorkerCalls, type WorkerCalls } from './worker-calls.js';
export * from './netlink.js';
export * from './proc-connector.js';
export * from './taskstats.js';
