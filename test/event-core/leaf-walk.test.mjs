// The start-up walk watches a directory with no subdirectories (link count 2, on tmpfs/ext4/xfs) without
// opening it, and still watches every directory, sees what happens in them, and reads a tree that is
// already watched (`-r d ./d`) whole, as inotify-tools does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { execFileSync } from 'node:child_process';
import { OURS, start, watchCount } from '../inotifywait/helpers.mjs';

/** The file system type of `dir` as stat -f names it. */
const fsType = (dir) => execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim();
const base = ['/dev/shm', process.env.TMPDIR ?? '/tmp'].find((d) => {
  try {
    return /^(tmpfs|ext2\/ext3|xfs)$/.test(fsType(d));
  } catch {
    return false;
  }
});

function tree(t) {
  const root = fs.mkdtempSync(path.join(base, 'ik-leaf-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const d of ['a/l1', 'a/l2', 'b', 'c/m/l3']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(path.join(root, 'sentinel'), '');
  return root;
}

/** An observer that reports every directory opened under `root` (our own CLI, with -e open). */
async function observe(t, root) {
  const obs = start(OURS, ['-m', '-r', '-e', 'open', '--format', '%w%f|%e', root]);
  t.after(() => obs.child.kill('SIGKILL'));
  await obs.waitStderr('Watches established.', 10000);
  return obs;
}

/** Reads the sentinel file, so that once its OPEN is out, every earlier OPEN is too. */
async function opened(obs, root) {
  fs.readFileSync(path.join(root, 'sentinel'));
  await obs.waitStdout(`${root}/sentinel|OPEN`, 10000);
  obs.child.kill('SIGKILL');
  return new Set(
    obs
      .stdout()
      .toString('latin1')
      .split('\n')
      .filter((l) => l.endsWith('ISDIR'))
      .map((l) => l.split('|')[0].replace(/\/$/, '')),
  );
}

test('a leaf directory is watched without being opened; its parents are read', { skip: base ? false : 'no tmpfs, ext4 or xfs directory to test on' }, async (t) => {
  const root = tree(t);
  const obs = await observe(t, root);
  const subject = start(OURS, ['-m', '-r', root]);
  t.after(() => subject.child.kill('SIGKILL'));
  await subject.waitStderr('Watches established.', 10000);
  assert.equal(watchCount(subject.pid), 8, 'every directory watched: root a a/l1 a/l2 b c c/m c/m/l3');
  const dirs = await opened(obs, root);
  // The directories with subdirectories are read (so the observer does see a walk's opens) …
  for (const d of [root, `${root}/a`, `${root}/c`, `${root}/c/m`]) assert.ok(dirs.has(d), `${d} opened; saw ${[...dirs]}`);
  // … the leaves are not.
  for (const d of ['a/l1', 'a/l2', 'b', 'c/m/l3']) assert.ok(!dirs.has(`${root}/${d}`), `${d} not opened; saw ${[...dirs]}`);
  // And what happens in a leaf is seen.
  fs.writeFileSync(path.join(root, 'c/m/l3/f'), '');
  await subject.waitStdout(`${root}/c/m/l3/ CREATE f\n`, 10000);
});

test('a tree given twice is read whole the second time (inotify-tools reports those opens)', { skip: base ? false : 'no tmpfs, ext4 or xfs directory to test on' }, async (t) => {
  const root = tree(t);
  const subject = start(OURS, ['-m', '-r', '-e', 'open', '--format', '%w%f|%e', root, `${root}/./`]);
  t.after(() => subject.child.kill('SIGKILL'));
  await subject.waitStderr('Watches established.', 10000);
  fs.readFileSync(path.join(root, 'sentinel'));
  await subject.waitStdout('sentinel|OPEN', 10000);
  const out = subject.stdout().toString('latin1');
  // The second walk opened the leaves, which the first walk watched.
  for (const d of ['a/l1', 'a/l2', 'b', 'c/m/l3']) assert.match(out, new RegExp(`/${d.replace(/\//g, '\\/')}/?\\|OPEN,ISDIR`), `${d}'s open reported: ${out}`);
});
