// The building blocks on their own: stat parsing, command-line rendering, ERE translation, argument parsing, back-off,
// and a process that vanishes between the /proc listing and its read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { parseStat } from '../../packages/procwatch/dist/proc/stat.js';
import { commandLine } from '../../packages/procwatch/dist/proc/cmdline.js';
import { compileEre } from '../../packages/procwatch/dist/select/ere.js';
import { Backoff } from '../../packages/procwatch/dist/ensure/backoff.js';
import { parseArgs } from '../../packages/procwatch/dist/args/parse.js';
import { compileSelector, search, readProcess } from '@inotifykit/procwatch';
import { ROOT, fixture, waitFor } from './helpers.mjs';

test('parseStat splits after the last ")" so any comm survives', () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  fields[0] = 'Z';
  const stat = parseStat(`42 (a) b (c ) ${fields.join(' ')}\n`);
  assert.equal(stat.pid, 42);
  assert.equal(stat.comm, 'a) b (c ');
  assert.equal(stat.state, 'Z');
  assert.equal(stat.ppid, 4);
  assert.equal(stat.startTicks, 22);
  assert.equal(stat.numThreads, 20);
  assert.equal(stat.exitCode, 52);
  assert.equal(parseStat(''), undefined);
});

test('commandLine renders argv as procps does', () => {
  assert.equal(commandLine('sleep\0' + '30\0', 'sleep', false), 'sleep 30');
  assert.equal(commandLine('a\tb\nc\0d\0\0', 'x', false), 'a?b c d');
  assert.equal(commandLine('', 'kthreadd', false), '[kthreadd]');
  assert.equal(commandLine('', 'sh', true), '[sh] <defunct>');
  assert.equal(commandLine('caf\xc3\xa9\0', 'x', false), 'caf\xc3\xa9', 'non-ASCII bytes pass unchanged');
});

test('compileEre: POSIX brackets and classes, -x anchoring, byte-wise UTF-8', () => {
  assert.ok(compileEre('^[[:alpha:]]+[[:digit:]]$').test('sshd2'));
  assert.ok(compileEre('[]x]').test(']'));
  assert.ok(compileEre('[\\]').test('\\'), 'a backslash is literal inside brackets');
  assert.ok(compileEre('\\<ss').test('a ssh'));
  assert.ok(!compileEre('\\<sh').test('ssh'));
  assert.ok(compileEre('ssh', { exact: true }).test('ssh'));
  assert.ok(!compileEre('ssh', { exact: true }).test('sshd'));
  assert.ok(compileEre('a|sshd', { exact: true }).test('sshd'), '-x wraps the whole alternation');
  assert.ok(compileEre('SSH', { ignoreCase: true }).test('sshd'));
  assert.ok(compileEre('\xc3\xa9').test('caf\xc3\xa9'), 'the pattern is its bytes (é in UTF-8), matched byte-wise');
  assert.ok(compileEre('^.a\xff$').test('\xe9a\xff'), 'any byte, UTF-8 or not, is one character');
  assert.throws(() => compileEre('[[:nope:]]'), { name: 'PatternError', exitCode: 2 });
  assert.throws(() => compileEre('a('), { name: 'PatternError' });
});

test('Backoff doubles on quick exits, caps, and resets after a stable run', () => {
  const b = new Backoff({ minMs: 100, maxMs: 500, stableMs: 1000 });
  assert.equal(b.delayMs(), 0);
  const delays = [];
  for (let i = 0; i < 5; i++) {
    b.recordRun(10);
    delays.push(b.delayMs());
  }
  assert.deepEqual(delays, [100, 200, 400, 500, 500]);
  b.recordRun(5000);
  assert.equal(b.delayMs(), 0);
});

test('-e ends the options: everything after it is --ensure\'s command, verbatim; not after --', () => {
  const { args } = parseArgs(['--ensure', 'sshd', '-e', '/usr/sbin/sshd', '-D', '-e', 'x']);
  assert.deepEqual(args.mode, { kind: 'ensure', command: ['/usr/sbin/sshd', '-D', '-e', 'x'] });
  assert.deepEqual(args.select.patterns, ['sshd']);
  assert.deepEqual(parseArgs(['--', '-e']).args.select.patterns, ['-e']);
  assert.deepEqual(parseArgs(['--ensure=sshd', '-xe/usr/sbin/sshd']).args.mode.command, ['/usr/sbin/sshd']);
});

test('values are the bytes typed: quotes, a leading dash and non-UTF-8 bytes stay', () => {
  const { args } = parseArgs(['-d', '-', "--format='%p'", '--timefmt', '"%s"', '-l', '\xffx', "'q'"]);
  assert.equal(args.output.delimiter, '-');
  assert.equal(args.output.format, "'%p'");
  assert.equal(args.output.timefmt, '"%s"');
  assert.deepEqual(args.select.patterns, ['\xffx', "'q'"]);
});

test('a process that vanishes between the /proc listing and its read is skipped silently', async (t) => {
  const fx = fixture(t);
  const first = await fx.start(30);
  // The victim is a grandchild: its parent shell reaps it at once, so it leaves /proc entirely (this test
  // process could not reap a child of its own while blocked inside search()).
  const sh = spawn('sh', ['-c', `"${fx.sleeper}" 30; exit 0`], { stdio: 'ignore' });
  t.after(() => sh.kill('SIGKILL'));
  let victim;
  await waitFor(() => {
    victim = fs.readdirSync('/proc').map(Number).find((pid) => pid > sh.pid && readProcess(pid)?.stat.ppid === sh.pid);
    return victim !== undefined && readProcess(victim).stat.comm === fx.name;
  }, 'the grandchild runs');
  const base = compileSelector({ patterns: [fx.name], full: false, exact: false, ignoreCase: false, inverse: false, users: [], parents: [] });
  const seen = [];
  const selector = {
    needs: { cmdline: true, status: true },
    matches(proc) {
      seen.push(proc.pid);
      if (proc.pid === first.pid) {
        // While search() is between the two reads: kill the victim and wait until /proc has forgotten it.
        process.kill(victim, 'SIGKILL');
        const deadline = Date.now() + 3000;
        while (fs.existsSync(`/proc/${victim}`)) if (Date.now() > deadline) throw new Error('victim did not go away');
      }
      return base.matches(proc);
    },
  };
  assert.ok(first.pid < victim);
  const found = search(selector, { pick: 'all', extra: { cmdline: true, status: true, exe: true } });
  assert.deepEqual(found.map((p) => p.pid), [first.pid]);
  assert.ok(!seen.includes(victim), 'the vanished process was never handed to the selector');
});

test('closing the pidfd watcher wakes its worker thread at once, so Node can exit on its own', async (t) => {
  const fx = fixture(t);
  const child = await fx.start(30);
  // The script ends without process.exit(): it can only finish if no poll(2) is left blocked.
  const script = `
    import { createExitWatcher, readProcess } from '@inotifykit/procwatch';
    const w = createExitWatcher({ pidfd: true, intervalMs: 50 });
    if (w.kind !== 'pidfd') throw new Error('no pidfd here');
    w.watch(${child.pid}, readProcess(${child.pid}).stat.startTicks, () => { throw new Error('not exited'); });
    setTimeout(() => { globalThis.closedAt = performance.now(); w.close(); }, 50);
    process.on('exit', () => console.log(Math.round(performance.now() - globalThis.closedAt)));
  `;
  const { execFile } = await import('node:child_process');
  const out = await new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 5000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  // The poll's own timeout is 1000 ms; waking it through the eventfd takes a few.
  t.diagnostic(`exited ${Number(out)} ms after close()`);
  assert.ok(Number(out) < 500, `exited ${out} ms after close()`);
});
