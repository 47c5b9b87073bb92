// The inotify backend on its own: re-adding a watch, ONESHOT, the instance limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createBackend, IN_CREATE, IN_DELETE, IN_ONESHOT, IN_IGNORED, Watcher, WatchError } from '@inotifykit/event-core';
import { tempDir, waitFor } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function recorder(backend) {
  const records = [];
  backend.start({ records: (r) => void records.push(...r), idle() {}, error(e) { throw e; } });
  return records;
}

test('re-adding a watch with a new mask keeps its wd and replaces the mask', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const backend = createBackend('inotify');
  t.after(() => backend.close());
  const wd1 = backend.addWatch(dir, IN_CREATE);
  const wd2 = backend.addWatch(dir, IN_DELETE);
  assert.equal(wd1, wd2);
  const records = recorder(backend);
  fs.writeFileSync(`${dir}/a`, '');
  fs.unlinkSync(`${dir}/a`);
  await waitFor(() => records.length > 0, 'the DELETE');
  assert.deepEqual(records.map((r) => [r.mask, r.name]), [[IN_DELETE, 'a']], 'CREATE is no longer in the mask');
});

test('ONESHOT: one event, then the kernel removes the watch (IGNORED)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const watcher = new Watcher({ mask: IN_CREATE | IN_ONESHOT });
  t.after(() => watcher.close());
  watcher.add(dir);
  const events = [];
  watcher.start({ batch: (evs) => void events.push(...evs) });
  fs.writeFileSync(`${dir}/a`, '');
  fs.writeFileSync(`${dir}/b`, '');
  await waitFor(() => events.some((e) => e.mask & IN_IGNORED), 'IGNORED');
  assert.deepEqual(events.map((e) => e.name), ['a', '']);
  assert.equal(watcher.watchCount, 0);
});

test('missing path, not a directory and permission errors are typed, with glibc wording', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const watcher = new Watcher({ mask: IN_CREATE, recursive: true });
  t.after(() => watcher.close());
  assert.throws(() => watcher.add(`${dir}/nosuch`), (e) => e instanceof WatchError && e.exitCode === 1 &&
    e.message === `Couldn't watch ${dir}/nosuch: No such file or directory`);
  const plain = new Watcher({ mask: IN_CREATE });
  t.after(() => plain.close());
  fs.writeFileSync(`${dir}/f`, '');
  assert.throws(() => plain.add(`${dir}/f/x`), (e) => e instanceof WatchError &&
    e.message === `Couldn't watch ${dir}/f/x: Not a directory`);
});

test('the instance limit: EMFILE names max_user_instances', { skip: spawnSync('unshare', ['-Ur', 'true']).status !== 0 && 'needs unshare -Ur (user namespaces)' }, () => {
  const script = `echo 0 > /proc/sys/user/max_inotify_instances && exec "${process.execPath}" "${here}/fixtures/watch-tree.mjs" .`;
  const r = spawnSync('unshare', ['-Ur', 'sh', '-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^InstanceLimitError\nCouldn't initialize inotify: Too many open files\nTry increasing the value of \/proc\/sys\/fs\/inotify\/max_user_instances\ncurrent limit: \d+\n$/);
});

test('permission denied on a top-level path is a WatchError with the path', { skip: (process.getuid() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) && 'needs root and setpriv to run as nobody' }, (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(`${dir}/locked`, { mode: 0o700 });
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, `${here}/fixtures/watch-tree.mjs`, `${dir}/locked`], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.split('\n').slice(0, 2).join('\n'), `WatchError\nCouldn't watch ${dir}/locked: Permission denied`);
});

test('directory listing through getdents64: raw order, byte names, symlinks are not directories', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { readDir } = await import('../../packages/event-core/dist/engine/walk.js');
  const odd = Buffer.from([0xff, 0x0a, 0x2c]); // not UTF-8, a newline, a comma
  fs.mkdirSync(Buffer.concat([Buffer.from(`${dir}/`), odd]));
  for (let i = 0; i < 3000; i++) fs.writeFileSync(`${dir}/file-with-a-long-name-${i}`, ''); // several getdents calls
  fs.mkdirSync(`${dir}/sub`);
  fs.symlinkSync(`${dir}/sub`, `${dir}/link`);
  const raw = [];
  const handle = fs.opendirSync(dir, { encoding: 'buffer' });
  for (let e; (e = handle.readSync()); ) raw.push([e.name.toString('latin1'), e.isDirectory()]);
  handle.closeSync();
  assert.deepEqual(readDir(dir).map((e) => [e.name, e.isDir]), raw);
  const byName = new Map(readDir(dir).map((e) => [e.name, e.isDir]));
  assert.equal(byName.get(odd.toString('latin1')), true);
  assert.equal(byName.get('link'), false);
  assert.throws(() => readDir(`${dir}/nosuch`), (e) => e.code === 'ENOENT' && e.errno === -2);
  assert.throws(() => readDir(`${dir}/link/../file-with-a-long-name-1/x`), (e) => e.code === 'ENOTDIR');
});
