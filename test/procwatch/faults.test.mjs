// procwatch's faults, each one line on stderr with pgrep's exit status and no stack frame: write errors
// (a full disk, a closed stdout), an overlong or backtracking-prone pattern, values as typed, long timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { assertOneLine, startTool } from '../lib/cli.mjs';
import { BIN } from './helpers.mjs';

test('stdout on a full disk: pgrep\'s write error line, exit 1', async () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const res = await startTool(BIN, ['-f', '.'], { stdout: full }).result(30000);
    assertOneLine(assert, res.stderr, /^procwatch: write error: No space left on device$/);
    assert.equal(res.code, 1);
  } finally {
    fs.closeSync(full);
  }
});

test('a 100,000-character pattern: an answer, no stack trace', async () => {
  for (const pattern of ['a'.repeat(100000), '('.repeat(100000)]) {
    const res = await startTool(BIN, ['-f', pattern]).result(60000);
    assert.doesNotMatch(res.stderr, /^\s+at /m);
    assert.ok(res.code === 1 || res.code === 2, `exit ${res.code}`);
    if (res.code === 2) assert.match(res.stderr, /^procwatch: regex error: /);
  }
});

test("-f '(a+)+b' against a process named 38 a's finishes at once", async (t) => {
  const name = 'a'.repeat(38);
  const child = spawn('/bin/bash', ['-c', `exec -a ${name} sleep 60`], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 0));
  for (let i = 0; i < 500 && !fs.readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').startsWith(name); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const t0 = Date.now();
  const res = await startTool(BIN, ['-f', '^(a+)+b']).result(20000);
  assert.equal(res.code, 1, 'no match (there is no b)');
  assert.ok(Date.now() - t0 < 10000, 'not the minutes a backtracking engine takes');
  const hit = await startTool(BIN, ['-f', '^(a+)+ 60$']).result(20000);
  assert.match(hit.stdout.toString(), new RegExp(`^${child.pid}$`, 'm'));
});

test('values as typed: --interval abc, -t x', async () => {
  for (const [args, shown] of [
    [['-m', '--interval', 'abc'], /^procwatch: invalid --interval: abc$/m],
    [['-m', '-t', '1x'], /^procwatch: invalid -t: 1x$/m],
    [['-m', '--receive-buffer', '4k'], /^procwatch: invalid --receive-buffer: 4k$/m],
  ]) {
    const res = await startTool(BIN, args).result(30000);
    assert.match(res.stderr, shown);
    assert.doesNotMatch(res.stderr, /NaN|^\s+at /m);
    assert.equal(res.code, 2);
  }
});

test('-t beyond 24.8 days does not fire at once; --interval beyond it does not spin', async (t) => {
  const run = startTool(BIN, ['-m', '-t', '3000000', '--interval', '3000000', '-f', 'ikpw-long-timer']);
  t.after(() => run.kill('SIGKILL'));
  await run.waitStderr('Watches established.', 30000);
  // A process that matches: its START line proves the run outlived the 1 ms a clamped timer would give.
  const child = spawn('/bin/bash', ['-c', 'exec -a ikpw-long-timer sleep 5'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await run.waitStdout(`START ${child.pid}`, 20000).catch(() => undefined);
  assert.equal(run.exited(), false, 'still running');
  const cpu = () => fs.readFileSync(`/proc/${run.pid}/stat`, 'latin1').replace(/^.*\) /s, '').split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
  const before = cpu();
  const wall = Date.now();
  while (Date.now() - wall < 300) await new Promise((r) => setTimeout(r, 50));
  assert.ok(cpu() - before < 15, 'idle, not spinning (CPU ticks in 300 ms)');
  run.kill('SIGTERM');
  const res = await run.result(30000);
  assert.notEqual(res.code, 2, 'not a timeout');
});
