// --ensure: restart a killed process, back off a crash loop, fail clearly when COMMAND cannot start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alive, fixture, procwatch, startProcwatch, uniqueName, waitFor } from './helpers.mjs';

const startedPid = (line) => Number(/started PID (\d+)/.exec(line)[1]);

test('--ensure starts COMMAND when nothing matches and restarts it when killed', async (t) => {
  const fx = fixture(t);
  // --stable 0: every run counts as stable, so the restart is immediate.
  const pw = startProcwatch(t, ['--ensure', fx.name, '--interval', '0.05', '--stable', '0', '-e', fx.sleeper, '30']);
  const first = startedPid(await pw.waitErr(/started PID \d+/));
  fx.adopt(first);
  await waitFor(() => alive(first), 'first instance runs');
  process.kill(first, 'SIGKILL');
  await pw.waitErr(new RegExp(`PID ${first} exited with signal SIGKILL`));
  const second = startedPid(await pw.waitErr(new RegExp(`started PID (?!${first}\\b)\\d+`)));
  fx.adopt(second);
  assert.notEqual(second, first);
  await waitFor(() => alive(second), 'second instance runs');
  const res = await procwatch([fx.name]);
  assert.equal(res.stdout.toString(), `${second}\n`, 'exactly one instance runs');
  pw.child.kill('SIGTERM');
  await pw.exited;
  assert.ok(alive(second), 'stopping procwatch leaves the service running');
});

test('--ensure leaves a process alone while one matches, and starts one when it exits', async (t) => {
  const fx = fixture(t);
  const existing = await fx.start(30);
  const pw = startProcwatch(t, ['--ensure', fx.name, '--interval', '0.05', '-e', fx.sleeper, '30']);
  await pw.waitErr(new RegExp(`is running: PID ${existing.pid}`));
  assert.ok(!pw.err.some((l) => /started PID/.test(l)));
  existing.kill('SIGTERM');
  await pw.waitErr(new RegExp(`PID ${existing.pid} \\(${fx.name}\\) exited`));
  fx.adopt(startedPid(await pw.waitErr(/started PID \d+/)));
});

test('--ensure backs off a crash loop exponentially up to --backoff-max', async (t) => {
  const fx = fixture(t);
  const crashName = uniqueName('crash');
  const crasher = fx.crasher(crashName);
  const pw = startProcwatch(t, ['--ensure', crashName, '--interval', '0.05', '--backoff-min', '0.1', '--backoff-max', '0.4', '-e', crasher]);
  await pw.waitErr(/crash loop \(4 quick exits in a row\)/, 8000);
  pw.child.kill('SIGTERM');
  const delays = pw.err.filter((l) => /crash loop/.test(l)).map((l) => Number(/next start in ([\d.]+)s/.exec(l)[1]));
  assert.deepEqual(delays.slice(0, 4), [0.1, 0.2, 0.4, 0.4]);
  assert.ok(pw.err.filter((l) => /exited with status 1 after/.test(l)).length >= 4, pw.err.join('\n'));
  // One start per exit, plus at most the one that was due when procwatch was stopped.
  const starts = pw.err.filter((l) => /started PID/.test(l)).length;
  assert.ok(starts >= 4 && starts <= 5, `${starts} starts`);
});

test('--ensure with a COMMAND that cannot be started exits 1 with the reason', async () => {
  const res = await procwatch(['--ensure', uniqueName('none'), '-e', '/nonexistent/ikpw-program']);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /cannot start \/nonexistent\/ikpw-program: .*ENOENT/);
  const usage = await procwatch(['--ensure', uniqueName('none')]);
  assert.equal(usage.code, 2);
});
