// Engine faults of issue #14 (parcel roots, instance limits, signals during start-up): each ends in (at most) one stderr line, the documented exit status, no stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { OURS, processIdle, start, tempDir, waitFor } from './helpers.mjs';
import { OURS as WATCH } from '../inotifywatch/helpers.mjs';

const noStack = (stderr) => assert.doesNotMatch(stderr, /^\s+at /m, 'no stack frames');
const hasUnshare = spawnSync('unshare', ['-Ur', 'true']).status === 0;

test('--backend parcel: the last root removed, inotifywait -m goes on waiting (was exit 13)', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(`${dir}/r`);
  const run = start(OURS, ['-m', '--backend', 'parcel', 'r'], { cwd: dir });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr('Watches established.\n', 30000);
  fs.rmdirSync(`${dir}/r`);
  await run.waitStdout('r/ DELETE_SELF \n', 10000);
  // Once it has settled (asleep, nothing left to do), it must still be there.
  while (!run.exited() && !(await processIdle(run.pid))) await new Promise((resolve) => setImmediate(resolve));
  // Still running: a signal ends it, as it ends inotifywait -m with no watch left.
  assert.equal(run.exited(), false);
  run.kill('SIGTERM');
  const r = await run.result();
  assert.deepEqual({ code: r.code, signal: r.signal }, { code: null, signal: 'SIGTERM' });
  noStack(r.stderr);
});

test('inotifywatch --backend parcel: the last root removed, the table is still printed', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(`${dir}/r`);
  const run = start(WATCH, ['--backend', 'parcel', 'r'], { cwd: dir });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr('Finished establishing watches, now collecting statistics.\n', 30000);
  fs.writeFileSync(`${dir}/r/f`, 'x');
  fs.rmSync(`${dir}/r`, { recursive: true });
  // parcel reports in batches: wait until it has taken the removal (its subscription is gone).
  await waitFor(() => !fs.existsSync(`${dir}/r`), 'r removed');
  run.kill('SIGINT');
  const r = await run.result();
  assert.equal(r.code, 0);
  assert.match(r.stdout.toString(), /^total .*filename\n\d+ .* r\/\n$/);
  noStack(r.stderr);
});

test('--backend parcel with no inotify instance left: one line, exit 1 (it hung)', { skip: !hasUnshare && 'needs unshare -Ur' }, () => {
  const dir = fs.mkdtempSync('/tmp/ik-fault-');
  try {
    for (const [bin, args] of [[OURS, ['--backend', 'parcel', '-t', '5', '.']], [WATCH, ['--backend', 'parcel', '-t', '5', '.']]]) {
      const r = spawnSync('unshare', ['-Ur', 'sh', '-c', 'echo 0 > /proc/sys/user/max_inotify_instances && exec "$0" "$@"', bin, ...args], {
        cwd: dir, encoding: 'utf8', timeout: 20000,
      });
      const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('The parcel backend cannot') && !l.startsWith('A rename') && !l.startsWith('MODIFY means'));
      assert.deepEqual(lines, ["Couldn't start the parcel backend: no inotify instance left (Too many open files); raise fs.inotify.max_user_instances"]);
      assert.equal(r.status, 1);
      noStack(r.stderr);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGUSR2 during --since start-up does not kill the process; the state is saved', async (t) => {
  const dir = tempDir(t);
  for (let i = 0; i < 300; i++) fs.mkdirSync(`${dir}/t/d${i}`, { recursive: true });
  const run = start(OURS, ['-m', '-r', '--since', 'state', 't'], { cwd: dir });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStderr('Setting up watches.', 30000);
  run.kill('SIGUSR2');
  await run.waitStderr('Watches established.\n', 30000);
  await waitFor(() => fs.existsSync(`${dir}/state`), 'the state file');
  assert.equal(run.exited(), false);
  run.kill('SIGTERM');
  const r = await run.result();
  assert.equal(r.signal, 'SIGTERM');
  assert.equal(r.stderr, 'Setting up watches.  Beware: since -r was given, this may take a while!\nWatches established.\n');
});
