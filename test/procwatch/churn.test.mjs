// Processes that vanish while /proc is being read are skipped silently, in every mode that scans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fixture, procwatch, startProcwatch, waitFor } from './helpers.mjs';

/** A shell that forks short-lived processes back to back until stop() is called. */
function churn(t) {
  const sh = spawn('sh', ['-c', 'while :; do /bin/true; done'], { stdio: 'ignore' });
  const stop = () => sh.kill('SIGKILL');
  t.after(stop);
  return stop;
}

test('searches that read every process while others come and go never fail', async (t) => {
  const stop = churn(t);
  let runs = 0;
  // '' matches every process; --table and -a read stat, status and cmdline of each: the widest race window.
  for (const args of [['--table', ''], ['-a', '-f', ''], ['-c', '-u', 'root', ''], ['--pidof', 'true']]) {
    for (let i = 0; i < 4; i++) {
      const res = await procwatch(args);
      runs++;
      assert.equal(res.stderr, '', `procwatch ${args.join(' ')} wrote to stderr`);
      assert.ok(res.code === 0 || res.code === 1, `procwatch ${args.join(' ')} exited ${res.code}`);
    }
  }
  stop();
  assert.equal(runs, 16);
});

test('-m over a churning machine reports only well-formed events and no error', async (t) => {
  const fx = fixture(t);
  const pw = startProcwatch(t, ['-m', '', '--interval', '0.02', '--format', '%e %p']);
  await pw.waitErr(/^Watches established\.$/);
  const stop = churn(t);
  // Churn under the watch until some of the short-lived processes have been seen to exit (most live less
  // than one 20 ms scan).
  await waitFor(() => pw.out.filter((l) => l.startsWith('EXIT')).length >= 3, 'EXIT events under churn', 10000);
  stop();
  const child = await fx.start(30);
  await pw.waitOut(new RegExp(`^START ${child.pid}$`));
  pw.child.kill('SIGTERM');
  await pw.exited;
  // Under churn an exec can be gone before /proc/PID is read: said on its own line, not an error.
  assert.deepEqual(pw.errBesidesUnidentified(), ['Watches established.']);
  // An OVERFLOW line is well-formed too: with every process of a busy machine selected, the kernel may
  // drop records, and says so.
  const wellFormed = /^((START|EXIT) \d+|OVERFLOW )$/;
  assert.ok(pw.out.every((l) => wellFormed.test(l)), pw.out.find((l) => !wellFormed.test(l)));
  const exits = pw.out.filter((l) => l.startsWith('EXIT')).length;
  assert.ok(exits > 0, 'some of the churned processes were seen to exit');
});
