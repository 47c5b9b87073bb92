// The fanotify and file-handle bindings against the real kernel: a group with directory-fid-and-name
// reporting, an inode mark, one CREATE read back, its handle matched and opened again.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { isRoot, tempDir } from '../lib/cli.mjs';
import * as sys from '@inotifykit/sys';

const cstr = (s) => Buffer.from(s + '\0', 'latin1');
const needRoot = !isRoot && 'fanotify with fid reporting and open_by_handle_at need root (CAP_SYS_ADMIN)';

test('statfs gives the file system type and fsid; name_to_handle_at a handle', (t) => {
  const dir = tempDir(t, 'ik-sys-');
  const fsInfo = sys.statfs(cstr(dir));
  assert.ok(fsInfo, `statfs failed: errno ${sys.errno()}`);
  assert.equal(fsInfo.fsid.length, 8);
  assert.equal(sys.statfs(cstr('/proc')).type, 0x9fa0); // PROC_SUPER_MAGIC
  const h = sys.nameToHandleAt(sys.AT_FDCWD, cstr(dir), 0);
  assert.ok(h, `name_to_handle_at failed: errno ${sys.errno()}`);
  assert.equal(h.handle.length, 8 + h.handle.readUInt32LE(0));
  assert.equal(sys.nameToHandleAt(sys.AT_FDCWD, cstr(dir + '/missing'), 0), undefined);
  assert.equal(sys.errno(), sys.ENOENT);
});

test('hasCapability reads the effective set', () => {
  assert.equal(sys.hasCapability(sys.CAP_SYS_ADMIN), isRoot);
});

test('fanotify: a CREATE with its DFID_NAME record, the handle opened back to the path', { skip: needRoot }, async (t) => {
  const dir = tempDir(t, 'ik-sys-');
  const fd = sys.fanotifyInit(
    sys.FAN_CLASS_NOTIF | sys.FAN_CLOEXEC | sys.FAN_NONBLOCK | sys.FAN_REPORT_DFID_NAME | sys.FAN_REPORT_FID,
    sys.O_CLOEXEC,
  );
  assert.ok(fd >= 0, `fanotify_init failed: errno ${sys.errno()}`);
  t.after(() => sys.close(fd));
  const rc = sys.fanotifyMark(fd, sys.FAN_MARK_ADD, sys.FAN_CREATE | sys.FAN_ONDIR, sys.AT_FDCWD, cstr(dir));
  assert.equal(rc, 0, `fanotify_mark failed: errno ${sys.errno()}`);
  fs.writeFileSync(Buffer.from(`${dir}/n\xffame`, 'latin1'), '');

  const buf = Buffer.alloc(4096);
  let n = -1;
  for (let i = 0; i < 200 && n <= 0; i++) {
    n = sys.read(fd, buf, buf.length);
    if (n <= 0) await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(n >= sys.FAN_EVENT_METADATA_LEN, `no event read (errno ${sys.errno()})`);
  assert.equal(buf[4], sys.FANOTIFY_METADATA_VERSION);
  assert.equal(Number(buf.readBigUInt64LE(8)) & sys.FAN_CREATE, sys.FAN_CREATE);
  assert.equal(buf.readInt32LE(16), sys.FAN_NOFD);
  assert.equal(buf.readInt32LE(20), process.pid);

  const info = buf.readUInt16LE(6);
  assert.equal(buf[info], sys.FAN_EVENT_INFO_TYPE_DFID_NAME);
  const fsid = buf.subarray(info + 4, info + 12);
  assert.deepEqual(fsid, sys.statfs(cstr(dir)).fsid);
  const handleLen = 8 + buf.readUInt32LE(info + 12);
  const handle = Buffer.from(buf.subarray(info + 12, info + 12 + handleLen));
  assert.deepEqual(handle, sys.nameToHandleAt(sys.AT_FDCWD, cstr(dir), 0).handle);
  const nameAt = info + 12 + handleLen;
  assert.equal(buf.subarray(nameAt, buf.indexOf(0, nameAt)).toString('latin1'), 'n\xffame'); // the name's bytes, not UTF-8

  const mountFd = sys.open(cstr(dir), sys.O_RDONLY | sys.O_DIRECTORY | sys.O_CLOEXEC);
  t.after(() => sys.close(mountFd));
  const dirFd = sys.openByHandleAt(mountFd, handle, sys.O_PATH | sys.O_CLOEXEC);
  assert.ok(dirFd >= 0, `open_by_handle_at failed: errno ${sys.errno()}`);
  assert.equal(fs.readlinkSync(`/proc/self/fd/${dirFd}`), fs.realpathSync(dir));
  sys.close(dirFd);
});
