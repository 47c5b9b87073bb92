// The engine against the real kernel: every event kind, byte-exact names, recursion, moves, churn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collect, tempDir, waitFor, waitLine } from './util.mjs';
import { IN_UNMOUNT, IN_IGNORED, toBuffer, fromText } from '@inotifykit/event-core';

test('each event kind on a directory entry, in kernel order', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const d = path.join(dir, 'd');
  fs.mkdirSync(d);
  const c = collect([d]);
  t.after(() => c.watcher.close());
  const w = d + '/';
  fs.writeFileSync(`${d}/f`, 'hi'); // CREATE OPEN MODIFY CLOSE_WRITE
  fs.readFileSync(`${d}/f`); // OPEN ACCESS CLOSE_NOWRITE
  fs.chmodSync(`${d}/f`, 0o600); // ATTRIB
  fs.renameSync(`${d}/f`, `${d}/g`); // MOVED_FROM MOVED_TO
  fs.unlinkSync(`${d}/g`); // DELETE
  fs.mkdirSync(`${d}/sub`);
  fs.rmdirSync(`${d}/sub`);
  await waitLine(c, `${w} DELETE,ISDIR sub`);
  const expected = [
    'CREATE f', 'OPEN f', 'MODIFY f', 'CLOSE_WRITE,CLOSE f', 'OPEN f', 'ACCESS f', 'CLOSE_NOWRITE,CLOSE f',
    'ATTRIB f', 'MOVED_FROM f', 'MOVED_TO g', 'DELETE g', 'CREATE,ISDIR sub', 'DELETE,ISDIR sub',
  ].map((s) => `${w} ${s}`);
  assert.deepEqual(c.lines(), expected);
  const [from, to] = c.events.filter((e) => e.mask & 0xc0);
  assert.ok(from.cookie !== 0 && from.cookie === to.cookie, 'a move pair shares its cookie');
});

test('events on the watch itself: MOVE_SELF, DELETE_SELF, IGNORED, and the entry is freed', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const f = path.join(dir, 'f');
  fs.writeFileSync(f, '');
  const c = collect([f]);
  t.after(() => c.watcher.close());
  assert.equal(c.watcher.watchCount, 1);
  fs.renameSync(f, `${f}2`);
  fs.unlinkSync(`${f}2`);
  await waitLine(c, `${f} IGNORED `);
  assert.deepEqual(c.lines(), [`${f} MOVE_SELF `, `${f} ATTRIB `, `${f} DELETE_SELF `, `${f} IGNORED `]);
  assert.equal(c.watcher.watchCount, 0);
});

test('UNMOUNT then IGNORED when a watched tmpfs goes away', { skip: process.getuid() !== 0 && 'needs root to mount' }, async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('mount', ['-t', 'tmpfs', 'none', dir], { stdio: 'ignore' });
  } catch {
    t.skip('mount is not permitted here');
    return;
  }
  const c = collect([dir]);
  t.after(() => c.watcher.close());
  execFileSync('umount', [dir]);
  await waitFor(() => c.events.some((e) => e.mask & IN_IGNORED), 'IGNORED after unmount');
  assert.ok(c.events.some((e) => e.mask & IN_UNMOUNT), c.lines().join('\n'));
});

test('names are bytes: every byte value 1–255 except "/" comes out exactly', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const c = collect([fromText(dir)]);
  t.after(() => c.watcher.close());
  const names = [];
  for (let b = 1; b < 256; b++) {
    if (b === 0x2f || b === 0x2e) continue; // '/' can't be in a name; '.' alone is the directory itself
    names.push(Buffer.from([b, 0x78, b])); // e.g. "\nx\n", "\xffx\xff"
  }
  names.push(Buffer.from('.x.'), Buffer.from(' lead'), Buffer.from('a,b"c'), Buffer.from('caf\xc3\xa9', 'latin1'));
  for (const n of names) fs.writeFileSync(Buffer.concat([Buffer.from(dir + '/'), n]), '');
  await waitFor(() => c.events.filter((e) => e.mask === 0x100).length === names.length, 'all CREATE events');
  const got = c.events.filter((e) => e.mask === 0x100).map((e) => toBuffer(e.name));
  assert.deepEqual(got, names);
});

test('mkdir -p chains of depth 5 with files written at once: every file reported, 50 runs in a row', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = path.join(dir, 'r');
  fs.mkdirSync(root);
  const c = collect([root], { recursive: true });
  t.after(() => c.watcher.close());
  const expected = new Set();
  for (let run = 0; run < 50; run++) {
    const chain = path.join(root, `a${run}`, 'b', 'c', 'd', 'e');
    fs.mkdirSync(chain, { recursive: true });
    let p = path.join(root, `a${run}`);
    for (const level of ['', 'b', 'c', 'd', 'e']) {
      if (level) p = path.join(p, level);
      fs.writeFileSync(path.join(p, 'f'), 'x');
      expected.add(`${p}/ CREATE f`);
    }
    for (const line of expected) await waitLine(c, line);
  }
  const creates = c.lines().filter((l) => l.endsWith(' CREATE f'));
  assert.equal(creates.length, 250, 'each file reported exactly once (no duplicates from the rescan)');
});

/** `d/sub/inner` in a temp dir, watched recursively from `d`. */
function watchNestedTree(t) {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const d = path.join(dir, 'd');
  fs.mkdirSync(path.join(d, 'sub', 'inner'), { recursive: true });
  const c = collect([d], { recursive: true });
  t.after(() => c.watcher.close());
  return { dir, d, c };
}

test('a directory renamed inside the tree: nested watches report under the new path', async (t) => {
  const { d, c } = watchNestedTree(t);
  fs.renameSync(`${d}/sub`, `${d}/sub2`);
  await waitLine(c, `${d}/sub2/ MOVE_SELF `);
  fs.writeFileSync(`${d}/sub2/inner/x`, '');
  await waitLine(c, `${d}/sub2/inner/ CREATE x`);
  assert.ok(!c.lines().some((l) => l.startsWith(`${d}/sub/`)), c.lines().join('\n'));
  assert.deepEqual([...c.watcher.watches()].map((w) => w.path).sort(), [`${d}/`, `${d}/sub2/`, `${d}/sub2/inner/`]);
});

test('a directory moved out of the tree drops all its nested watches', async (t) => {
  const { dir, d, c } = watchNestedTree(t);
  assert.equal(c.watcher.watchCount, 3);
  fs.renameSync(`${d}/sub`, `${dir}/outside`);
  await waitFor(() => c.watcher.watchCount === 1, 'nested watches dropped');
  fs.writeFileSync(`${dir}/outside/inner/y`, '');
  fs.writeFileSync(`${d}/marker`, '');
  await waitLine(c, `${d}/ CREATE marker`);
  assert.ok(!c.lines().some((l) => l.includes('CREATE y')), 'no events from outside the tree');
});

test('a directory moved in from outside is watched; what it held is not reported, what is made in it is', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const d = path.join(dir, 'd');
  fs.mkdirSync(d);
  fs.mkdirSync(path.join(dir, 'in', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'in', 'deep', 'old'), 'x');
  const c = collect([d], { recursive: true });
  t.after(() => c.watcher.close());
  fs.renameSync(`${dir}/in`, `${d}/in`);
  await waitLine(c, `${d}/ MOVED_TO,ISDIR in`);
  fs.writeFileSync(`${d}/in/deep/new`, '');
  await waitLine(c, `${d}/in/deep/ CREATE new`);
  assert.deepEqual(c.events.filter((e) => e.name === 'old' || e.name === 'deep'), []);
});

test('10k mkdir/rmdir cycles: the watch table returns to its starting size', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const c = collect([dir], { recursive: true, mask: 0x100 | 0x200 | 0x40 | 0x80 });
  t.after(() => c.watcher.close());
  const start = c.watcher.watchCount;
  for (let i = 0; i < 10000; i++) {
    fs.mkdirSync(`${dir}/x${i}`);
    fs.rmdirSync(`${dir}/x${i}`);
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => c.events.filter((e) => e.mask === (0x200 | 0x40000000)).length === 10000, 'all DELETE events', 20000);
  await waitFor(() => c.watcher.watchCount === start, `watch count back to ${start} (now ${c.watcher.watchCount})`);
});
