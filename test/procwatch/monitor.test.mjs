// -m: START and EXIT events for processes started and killed while procwatch watches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, startProcwatch, uniqueName } from './helpers.mjs';

// The connector (auto, as root here) and the /proc scan, exits by pidfd or by polling (--no-pidfd).
for (const pidfd of [true, false]) {
  const how = pidfd ? 'the default source' : '--source=scan, polling (--no-pidfd)';
  test(`START and EXIT of a child started and killed during -m, exits by ${how}`, async (t) => {
    const fx = fixture(t);
    const pw = startProcwatch(t, ['-m', fx.name, '--interval', '0.05', '--format', '%e %p %n %u [%a] %x', ...(pidfd ? [] : ['--source=scan', '--no-pidfd'])]);
    await pw.waitErr(/^Watches established\.$/);
    const child = await fx.start(30);
    const start = await pw.waitOut(new RegExp(`^START ${child.pid} `));
    assert.equal(start, `START ${child.pid} ${fx.name} root [${fx.sleeper} 30] `);
    child.kill('SIGKILL');
    const exit = await pw.waitOut(new RegExp(`^EXIT ${child.pid} `));
    // The status is known only if procwatch read it before this test process reaped the child.
    assert.match(exit, new RegExp(`^EXIT ${child.pid} ${fx.name} root \\[${fx.sleeper} 30\\] (137)?$`));
    // An OVERFLOW (records the kernel dropped on a busy machine; the rescan then finds the child) may come
    // between; nothing else may.
    assert.deepEqual(pw.out.filter((l) => !l.startsWith('OVERFLOW ')), [start, exit], 'nothing else matched');
    pw.child.kill('SIGTERM');
  });
}

test('an exit status is reported when the process is still a zombie', async (t) => {
  const fx = fixture(t);
  // The shell starts the child in the background and then execs sleep, which never reaps it: the child
  // stays a zombie, with its exit status in /proc/[pid]/stat, until that sleep ends.
  const pw = startProcwatch(t, ['-m', fx.name, '--interval', '0.05', '--format', '%e %x']);
  await pw.waitErr(/^Watches established\.$/);
  const { spawn } = await import('node:child_process');
  const script = `"${fx.sleeper}" 0.3 & "${fx.sleeper}" 30 & k=$!; (sleep 0.5; kill -9 $k) & exec sleep 3`;
  const sh = spawn('sh', ['-c', script], { stdio: 'ignore' });
  t.after(() => sh.kill('SIGKILL'));
  await pw.waitOut(/^EXIT 137$/);
  // An OVERFLOW (a record the kernel lost on a busy machine) may come between; the rest is the same.
  const events = pw.out.filter((l) => l !== 'OVERFLOW ');
  if (events.length === pw.out.length) {
    assert.deepEqual(events, ['START ', 'START ', 'EXIT 0', 'EXIT 137'], '%x is $? as a shell shows it: code, or 128 + signal');
  } else {
    // After an overflow the /proc rescan may report a START again (its record may have been the lost one);
    // the exit statuses read are still the shell's $?.
    t.diagnostic(`the kernel dropped records: ${JSON.stringify(pw.out)}`);
    assert.deepEqual(events.filter((l) => l.startsWith('EXIT')), ['EXIT 0', 'EXIT 137'], '%x is $? as a shell shows it: code, or 128 + signal');
  }
});

test('--existing reports running matches at start-up; --json carries the fields', async (t) => {
  const fx = fixture(t);
  const child = await fx.start(30, { args: ['0.5'] });
  const pw = startProcwatch(t, ['-m', '--existing', '--json', fx.name]);
  await pw.waitErr(/^Watches established\.$/);
  const line = await pw.waitOut(/"start"/);
  const ev = JSON.parse(line);
  assert.deepEqual(ev.events, ['start']);
  assert.equal(ev.pid, child.pid);
  assert.equal(ev.ppid, process.pid);
  assert.equal(ev.comm, fx.name);
  assert.equal(ev.cmdline, `${fx.sleeper} 30 0.5`);
  assert.deepEqual(ev.argv, [fx.sleeper, '30', '0.5']);
  assert.equal(ev.uid, process.getuid());
  assert.equal('exit_code' in ev || 'signal' in ev, false, 'a start has no exit status');
  assert.match(ev.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  child.kill('SIGTERM');
  const exit = JSON.parse(await pw.waitOut(/"exit"/));
  assert.equal(exit.pid, child.pid);
});

test('-m -t N exits 2 after N seconds without an event', async (t) => {
  const pw = startProcwatch(t, ['-m', uniqueName('none'), '-t', '0.3']);
  assert.equal(await pw.exited, 2);
  assert.deepEqual(pw.out, []);
});

test('--format: %T with --timefmt, %P, %U, %%, and an unknown %q kept as is', async (t) => {
  const fx = fixture(t);
  const pw = startProcwatch(t, ['-m', fx.name, '--interval', '0.05', '--timefmt', '%Y', '--format', '%T|%P|%U|%%|%q|%e']);
  await pw.waitErr(/^Watches established\.$/);
  await fx.start(30);
  const line = await pw.waitOut(/START$/);
  assert.equal(line, `${new Date().getFullYear()}|${process.pid}|${process.getuid()}|%|%q|START`);
});
