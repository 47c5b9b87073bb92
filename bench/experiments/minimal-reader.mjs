#!/usr/bin/env node
// A floor, not a product: the least a Node watcher can do for `inotifywait -m [-e close_write]
// --format '%w%f %e' DIR`, used to tell the cost of Node itself from the cost of our engine.
//
// The difference from the engine: the inotify fd is handed to libuv as a pipe, so the main thread's own
// epoll waits on it and libuv read()s it, as inotifywait's select()+read() does. There is no poll thread
// and no hand-off to the main thread per wake-up. Node offers no public API for that (net.Socket refuses
// an fd of unknown type), hence process.binding('pipe_wrap'): deprecated (DEP0111, documentation-only in
// Node 20) and internal, so this is an experiment to measure with, e.g.
//   npm run bench -- --only=latency,throughput --ours-wait=bench/experiments/minimal-reader.mjs
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';

const koffi = createRequire(import.meta.url)('koffi');
const libc = koffi.load('libc.so.6');
const inotifyInit1 = libc.func('int inotify_init1(int flags)');
const inotifyAddWatch = libc.func('int inotify_add_watch(int fd, const char *path, uint32_t mask)');

const IN_NONBLOCK = 0o4000;
const IN_CLOEXEC = 0o2000000;
const IN_ALL_EVENTS = 0xfff;
const IN_CLOSE_WRITE = 0x8;
const NAMES = [
  [0x1, 'ACCESS'], [0x2, 'MODIFY'], [0x4, 'ATTRIB'], [0x8, 'CLOSE_WRITE'], [0x10, 'CLOSE_NOWRITE'],
  [0x20, 'OPEN'], [0x40, 'MOVED_FROM'], [0x80, 'MOVED_TO'], [0x100, 'CREATE'], [0x200, 'DELETE'],
  [0x400, 'DELETE_SELF'], [0x800, 'MOVE_SELF'], [0x4000, 'Q_OVERFLOW'], [0x8000, 'IGNORED'],
  [0x40000000, 'ISDIR'],
];

const args = process.argv.slice(2);
const dir = args[args.length - 1];
const mask = args.includes('close_write') ? IN_CLOSE_WRITE : IN_ALL_EVENTS;
const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
if (fd < 0 || inotifyAddWatch(fd, dir, mask) < 0) {
  process.stderr.write(`Couldn't watch ${dir}\n`);
  process.exit(1);
}

const rendered = new Map();
function renderMask(m) {
  let s = rendered.get(m);
  if (s === undefined) {
    const parts = NAMES.filter(([bit]) => m & bit).map(([, name]) => name);
    if (m & 0x18) parts.splice(parts.indexOf(m & 0x8 ? 'CLOSE_WRITE' : 'CLOSE_NOWRITE') + 1, 0, 'CLOSE');
    s = parts.join(',');
    rendered.set(m, s);
  }
  return s;
}

const prefix = dir.endsWith('/') ? dir : `${dir}/`;
const { Pipe, constants } = process.binding('pipe_wrap');
const handle = new Pipe(constants.SOCKET);
const err = handle.open(fd);
if (err) {
  process.stderr.write(`pipe_wrap refused the inotify fd (${err})\n`);
  process.exit(1);
}
new net.Socket({ handle, readable: true, writable: false }).on('data', (buf) => {
  // One read() holds whole records: { int wd; uint32 mask, cookie, len; char name[len] }.
  let out = '';
  for (let off = 0; off < buf.length; ) {
    const m = buf.readUInt32LE(off + 4);
    const next = off + 16 + buf.readUInt32LE(off + 12);
    const nul = buf.indexOf(0, off + 16);
    out += `${prefix}${buf.latin1Slice(off + 16, nul < 0 || nul > next ? next : nul)} ${renderMask(m)}\n`;
    off = next;
  }
  let rest = Buffer.from(out, 'latin1');
  while (rest.length > 0) rest = rest.subarray(fs.writeSync(1, rest));
});
process.stderr.write('Watches established.\n');
