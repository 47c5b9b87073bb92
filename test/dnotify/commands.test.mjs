// The command: run directly (no shell), `{}` substituted verbatim, output passed through, exit statuses
// reported (or not, with -s), and the examples from docs/dnotify.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { caseDirs, logLines, start, touch, waitFor } from './helpers.mjs';

const caseDir = caseDirs();

/** Starts dnotify in `base`, makes one change in `dir`, and waits for the exit (`-o` is expected in args). */
async function oneRun(base, args, dir, env) {
  const proc = start(args, { cwd: base, env });
  await proc.ready(1);
  touch(path.join(base, dir, 'change'));
  const end = await proc.finished();
  return { ...end, stdout: proc.stdout().toString(), stderr: proc.stderr() };
}

describe('no shell: directory names are single, verbatim arguments', () => {
  for (const name of ['$(touch pwned)', 'a b;c', '`touch pwned`', "it's \"quoted\"", '*', '-n', 'x{}y']) {
    test(`a directory named ${name}`, async () => {
      const base = caseDir(name);
      const operand = name.startsWith('-') ? ['--', name] : [name]; // `--` before a name that looks like an option
      const r = await oneRun(base, ['-o', ...operand, '-e', 'printf', '[%s]\\n', '{}'], name);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `[${name}]\n`);
      assert.equal(fs.existsSync(path.join(base, 'pwned')), false);
    });
  }

  test('through sh -c ... sh {} the name is $1, still not code', async () => {
    const name = '$(touch pwned); touch pwned2';
    const base = caseDir(name);
    const r = await oneRun(base, ['-o', name, '-e', 'sh', '-c', 'printf "[%s]\\n" "$1"', 'sh', '{}'], name);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `[${name}]\n`);
    assert.deepEqual(fs.readdirSync(base).sort(), [name]);
  });

  test('{} is replaced everywhere in every argument, in one pass', async () => {
    const base = caseDir('d{}');
    const r = await oneRun(base, ['-o', 'd{}', '-e', 'printf', '%s|%s|%s\\n', 'pre{}post', '{}{}', 'plain'], 'd{}');
    assert.equal(r.stdout, 'pred{}post|d{}d{}|plain\n');
  });

  test('options after -e belong to the command, including -e and --', async () => {
    const base = caseDir('d');
    const r = await oneRun(base, ['-o', 'd', '-e', 'printf', '%s %s %s %s\\n', '-e', '--', '-o', '{}'], 'd');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '-e -- -o d\n');
  });

  test('--execute=COMMAND and -eCOMMAND forms', async () => {
    for (const args of [['--execute=printf', '<%s>\\n', '{}'], ['-eprintf', '<%s>\\n', '{}'], ['-Coeprintf', '<%s>\\n', '{}']]) {
      const base = caseDir('d');
      const r = await oneRun(base, ['-o', 'd', ...args], 'd');
      assert.equal(r.stdout, '<d>\n', args.join(' '));
    }
  });
});

describe('exit statuses', () => {
  test('a non-zero exit is warned about; dnotify itself goes on and exits 0', async () => {
    const base = caseDir('d');
    const r = await oneRun(base, ['-o', 'd', '-e', 'sh', '-c', 'exit 3'], 'd');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "dnotify: command `sh -c 'exit 3'' exited with status 3\n");
  });

  test('a command killed by a signal is warned about', async () => {
    const base = caseDir('d');
    const r = await oneRun(base, ['-o', 'd', '-e', 'sh', '-c', 'kill -KILL $$'], 'd');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "dnotify: command `sh -c 'kill -KILL $$'' was terminated by SIGKILL\n");
  });

  for (const silent of ['-s', '--silent', '--quiet']) {
    test(`${silent} silences exit-status warnings`, async () => {
      const base = caseDir('d');
      const proc = start([silent, '-t', '2', 'd', '-e', 'sh', '-c', 'echo ran; [ -e stop ] || exit 4; kill -TERM $$'], { cwd: base });
      await proc.ready(1);
      touch(path.join(base, 'd', 'one'));
      await waitFor(() => proc.stdout().toString() === 'ran\n', 'the first run');
      touch(path.join(base, 'stop'));
      touch(path.join(base, 'd', 'two'));
      assert.equal((await proc.finished()).code, 0);
      assert.equal(proc.stdout().toString(), 'ran\nran\n');
      assert.equal(proc.stderr(), '');
    });
  }

  test('a command that cannot be started is reported per run (even with -s)', async () => {
    const base = caseDir('d');
    const r = await oneRun(base, ['-s', '-o', 'd', '-e', '{}/no-such-hook'], 'd');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'dnotify: cannot run `d/no-such-hook\': No such file or directory\n');
  });
});

describe('children share dnotify\'s stdout and stderr', () => {
  test('output of the command appears on dnotify\'s own streams', async () => {
    const base = caseDir('d');
    const r = await oneRun(base, ['-o', 'd', '-e', 'sh', '-c', 'echo out; echo err >&2'], 'd');
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  test('stdin of a command is /dev/null', async () => {
    const base = caseDir('d');
    const proc = start(['-o', 'd', '-e', 'sh', '-c', 'readlink /proc/self/fd/0'], { cwd: base });
    proc.child.stdin.write('not for the command\n');
    await proc.ready(1);
    touch(path.join(base, 'd', 'x'));
    await proc.finished();
    assert.equal(proc.stdout().toString(), '/dev/null\n');
  });
});

describe('the examples in docs/dnotify.md', () => {
  test('dnotify -CD /var/mail -e informdelete', async () => {
    const base = caseDir('mail', 'bin');
    const log = path.join(base, 'log');
    const script = path.join(base, 'bin', 'informdelete');
    fs.writeFileSync(script, '#!/bin/sh\necho "mail spool changed" >> "$LOG"\n', { mode: 0o755 });
    const env = { LOG: log, PATH: `${path.join(base, 'bin')}:${process.env.PATH}` };
    const proc = start(['-CD', 'mail', '-e', 'informdelete'], { cwd: base, env });
    await proc.ready(1);
    fs.writeFileSync(path.join(base, 'mail', 'user'), 'From someone\n');
    await waitFor(() => logLines(log).length === 1, 'informdelete for the new mailbox');
    fs.unlinkSync(path.join(base, 'mail', 'user'));
    await waitFor(() => logLines(log).length === 2, 'informdelete for the deleted mailbox');
    proc.kill('SIGTERM');
    assert.deepEqual(await proc.finished(), { code: null, signal: 'SIGTERM' });
    assert.equal(proc.stderr(), '');
  });

  test('dnotify -A DIR -e echo change', async () => {
    const base = caseDir('dir');
    fs.writeFileSync(path.join(base, 'dir', 'file'), 'data');
    const proc = start(['-A', 'dir', '-e', 'echo', 'change'], { cwd: base });
    await proc.ready(1);
    fs.readFileSync(path.join(base, 'dir', 'file'));
    await waitFor(() => proc.stdout().toString() === 'change\n', 'echo change');
    proc.kill('SIGINT');
    assert.deepEqual(await proc.finished(), { code: null, signal: 'SIGINT' });
  });

  test('dnotify -r -M --coalesce src -e make -C build (a rebuild on every save)', async () => {
    const base = caseDir('src', 'bin');
    fs.mkdirSync(path.join(base, 'src', 'lib'));
    fs.writeFileSync(path.join(base, 'src', 'lib', 'a.c'), '');
    const log = path.join(base, 'log');
    fs.writeFileSync(path.join(base, 'bin', 'make'), '#!/bin/sh\necho "make $*" >> "$LOG"\n', { mode: 0o755 });
    const env = { LOG: log, PATH: `${path.join(base, 'bin')}:${process.env.PATH}` };
    const proc = start(['-r', '-M', '--coalesce', '-o', 'src', '-e', 'make', '-C', 'build'], { cwd: base, env });
    await proc.ready(2);
    fs.appendFileSync(path.join(base, 'src', 'lib', 'a.c'), 'int x;\n');
    assert.equal((await proc.finished()).code, 0);
    assert.deepEqual(logLines(log), ['make -C build']);
  });
});

