// Faults a user meets, each reported in one line with the documented exit status, never a stack trace:
// writes to a full disk (/dev/full) or a failed -o file, --since state files, patterns we refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { assertOneLine, binPath, isRoot, newTempDir, startTool, tempDir } from '../lib/cli.mjs';

const ESTABLISHED = 'Watches established.';
const FULL = 'Failed to write to standard output: No space left on device';

/** Runs a tool with stdout on /dev/full, makes an event once it watches, returns its result. */
async function toFull(t, tool, args, { quietReady } = {}) {
  const dir = tempDir(t, 'ik-fault-');
  fs.mkdirSync(path.join(dir, 'd'));
  const full = fs.openSync('/dev/full', 'w');
  t.after(() => fs.closeSync(full));
  const run = startTool(binPath(tool), args, { cwd: dir, stdout: full });
  if (!quietReady) await run.waitStderr(tool === 'inotifywatch' ? 'Finished establishing' : ESTABLISHED, 30000);
  fs.writeFileSync(path.join(dir, 'd', 'f'), 'x');
  return run.result(30000);
}

/** stderr without the set-up lines the tools print before the fault. */
const faultLines = (stderr) => stderr.split('\n').filter((l) => !/^(Setting up watches|Watches established|Establishing watches|Finished establishing)/.test(l)).join('\n');

for (const [name, args] of [
  ['single event', ['d']],
  ['-m', ['-m', 'd']],
  ['-c', ['-m', '-c', 'd']],
  ['--format', ['-m', '--format', '%w%f %e', 'd']],
  ['--json', ['-m', '--json', 'd']],
]) {
  test(`inotifywait ${name} with stdout on a full disk: one line, exit 1`, async (t) => {
    const res = await toFull(t, 'inotifywait', args);
    assertOneLine(assert, faultLines(res.stderr), new RegExp(`^${FULL}$`, 'm'));
    assert.equal(res.code, 1);
  });
}

test('inotifywait -o on a full disk: names the file, exit 1', async (t) => {
  const dir = tempDir(t, 'ik-fault-');
  fs.mkdirSync(path.join(dir, 'd'));
  const run = startTool(binPath('inotifywait'), ['-m', '-o', '/dev/full', 'd'], { cwd: dir });
  await run.waitStderr(ESTABLISHED, 30000);
  fs.writeFileSync(path.join(dir, 'd', 'f'), 'x');
  const res = await run.result(30000);
  assertOneLine(assert, faultLines(res.stderr), /^Failed to write to output file \/dev\/full: No space left on device$/);
  assert.equal(res.code, 1);
});

test('inotifywatch with stdout on a full disk: one line, exit 1', async (t) => {
  const res = await toFull(t, 'inotifywatch', ['-t', '1', 'd']);
  assertOneLine(assert, faultLines(res.stderr), new RegExp(`^${FULL}$`));
  assert.equal(res.code, 1);
});

for (const tool of ['inotifywait', 'inotifywatch']) {
  test(`${tool} --since DIR: one line, exit 1`, async (t) => {
    const dir = tempDir(t, 'ik-fault-');
    fs.mkdirSync(path.join(dir, 'd'));
    fs.mkdirSync(path.join(dir, 'state'));
    const res = await startTool(binPath(tool), ['--since', 'state', 'd'], { cwd: dir }).result(30000);
    assertOneLine(assert, res.stderr, /^Couldn't read state file .*\/state: Is a directory$/);
    assert.equal(res.code, 1);
  });

  test(`${tool} --since with its state file on a full disk: one line, exit 1, at every start`, { skip: !isRoot && 'needs root (mounts a small tmpfs)' }, async (t) => {
    const { dir: mnt, cleanup } = newTempDir('ik-fault-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    } catch {
      cleanup();
      t.skip('cannot mount a tmpfs here');
      return;
    }
    t.after(() => {
      execFileSync('umount', [mnt]);
      cleanup();
    });
    fs.mkdirSync(path.join(mnt, 'd'));
    const first = startTool(binPath('inotifywait'), ['-m', '--since', 'st', 'd'], { cwd: mnt });
    await first.waitStderr(ESTABLISHED, 30000);
    first.kill('SIGINT');
    await first.result(30000);
    assert.ok(fs.existsSync(path.join(mnt, 'st')), 'a state file was saved');
    try {
      fs.writeFileSync(path.join(mnt, 'fill'), Buffer.alloc(1 << 20));
    } catch {
      // ENOSPC: the disk is full now, which is the point
    }
    for (let i = 0; i < 2; i++) {
      const res = await startTool(binPath(tool), ['--since', 'st', 'd'], { cwd: mnt }).result(30000);
      assertOneLine(assert, res.stderr, /^Couldn't read state file .*\/st: No space left on device/);
      assert.equal(res.code, 1);
    }
  });
}

test("inotifywait --exclude '(a+)+b' on a 30-letter name: the event comes through at once", async (t) => {
  const dir = tempDir(t, 'ik-fault-');
  fs.mkdirSync(path.join(dir, 'd'));
  const run = startTool(binPath('inotifywait'), ['-m', '--exclude', '(a+)+b', 'd'], { cwd: dir });
  await run.waitStderr(ESTABLISHED, 30000);
  const t0 = Date.now();
  fs.writeFileSync(path.join(dir, 'd', 'a'.repeat(30)), '');
  await run.waitStdout(`d/ CREATE ${'a'.repeat(30)}\n`, 10000);
  run.kill();
  await run.result(30000);
  assert.ok(Date.now() - t0 < 5000, 'not the minutes a backtracking engine takes');
});

test('inotifywait --exclude with a back-reference: one line saying why, exit 1', async (t) => {
  const res = await startTool(binPath('inotifywait'), ['--exclude', '(a)\\1', '.'], { cwd: tempDir(t) }).result(30000);
  assertOneLine(assert, res.stderr, /^Error in `exclude' regular expression: back-references .* linear time\.$/);
  assert.equal(res.code, 1);
});
