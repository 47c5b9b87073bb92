// Search mode against pgrep and pidof on the same machine: same PIDs, same order, same exit codes.
import { test } from 'node:test';
import os from 'node:os';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fixture, have, procwatch, run, uniqueName, waitFor } from './helpers.mjs';
// The boxes expected below are drawn in a UTF-8 locale (ASCII borders otherwise: cli-kit/table-chars).
process.env.LC_ALL = 'C.UTF-8';

const skip = !have('pgrep') && 'pgrep (procps) is not installed';

/** procwatch ARGS and pgrep ARGS give the same bytes and the same exit code. */
async function samePgrep(args) {
  // One after the other: under -f each would match the other's command line.
  const ours = await procwatch(args);
  const theirs = await run('pgrep', args);
  assert.equal(ours.stdout.toString('latin1'), theirs.stdout.toString('latin1'), `stdout of ${args.join(' ')}`);
  assert.equal(ours.code, theirs.code, `exit code of ${args.join(' ')}`);
  return ours;
}

test('name, -f, -x, -i, -l, -a, -c, -d, -n, -o, -P agree with pgrep', { skip }, async (t) => {
  const fx = fixture(t);
  // sleep adds up its arguments: the extras only make the command lines differ.
  const a = await fx.start(30, { args: ['0.1'] });
  const b = await fx.start(31, { args: ['0.2'] });
  const c = await fx.start(32, { args: ['0.3'] });
  const { name } = fx;
  const prefix = name.slice(0, 8);
  const cases = [
    [name],
    [prefix],
    [`^${name}$`],
    ['-x', name],
    ['-x', prefix],
    ['-f', `${name} 31`],
    ['-f', `${name} 3[12] 0\\.[23]`],
    ['-f', '-x', `${fx.sleeper} 30 0.1`],
    ['-l', name],
    ['-a', name],
    ['-a', '-f', `${name}.*3$`],
    ['-l', '-a', name],
    ['-c', name],
    ['-d', ',', name],
    ['-l', '-d', ' | ', name],
    ['-n', name],
    ['-o', name],
    ['-n', '-l', name],
    ['-o', '-a', name],
    ['-P', String(process.pid), name],
    ['-P', `1,${process.pid}`, '-c', name],
    ['-i', name.toUpperCase()],
  ];
  for (const args of cases) await samePgrep(args);
  const all = await samePgrep([name]);
  assert.equal(all.stdout.toString(), `${a.pid}\n${b.pid}\n${c.pid}\n`);
});

test('-u matches the effective user, by name and by number', { skip: skip || (process.getuid() !== 0 && 'needs root to run a child as nobody') }, async (t) => {
  const fx = fixture(t);
  await fx.start(30);
  const other = await fx.start(30, { uid: 65534, gid: 65534 });
  for (const args of [['-u', 'root', fx.name], ['-u', '0', fx.name], ['-u', 'nobody', fx.name], ['-u', '65534', fx.name], ['-u', 'root,nobody', '-c', fx.name]]) {
    await samePgrep(args);
  }
  const nobody = await procwatch(['-u', 'nobody', fx.name]);
  assert.equal(nobody.stdout.toString(), `${other.pid}\n`);
});

test('exit codes: 0 on a match, 1 on none, 2 on bad usage (as pgrep)', { skip }, async (t) => {
  const fx = fixture(t);
  await fx.start();
  await samePgrep([fx.name]);
  await samePgrep([uniqueName('none')]);
  await samePgrep(['-c', uniqueName('none')]);
  for (const args of [[], ['-n', '-o', fx.name], ['--no-such-option', fx.name], ['a(']]) {
    const ours = await procwatch(args);
    assert.equal(ours.code, 2, `procwatch ${args.join(' ')} is bad usage`);
    assert.match(ours.stderr, /^procwatch: /);
    assert.equal(ours.stdout.length, 0);
  }
});

test('procwatch never reports itself, even when its own command line matches', async () => {
  const name = uniqueName('self');
  const res = await procwatch(['-f', '-a', name]);
  assert.equal(res.code, 1);
  assert.equal(res.stdout.length, 0);
});

test('a long plain name warns that comm is 15 bytes, as pgrep does', async () => {
  const res = await procwatch(['ikpw-a-name-longer-than-15']);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /longer than 15 characters/);
});

test('--pidof agrees with pidof: newest first, one line, basename and full path', { skip: !have('pidof') && 'pidof is not installed' }, async (t) => {
  const fx = fixture(t);
  const a = await fx.start();
  const b = await fx.start();
  for (const args of [[fx.name], [fx.sleeper], [fx.name, fx.name], [uniqueName('none')]]) {
    const ours = await procwatch(['--pidof', ...args]);
    const theirs = await run('pidof', args);
    assert.equal(ours.stdout.toString(), theirs.stdout.toString(), `pidof ${args.join(' ')}`);
    assert.equal(ours.code, theirs.code);
  }
  const one = await procwatch(['--pidof', fx.name, '--single-shot']);
  assert.equal(one.stdout.toString(), `${b.pid}\n`);
  const omit = await procwatch(['--pidof', fx.name, '--omit-pid', String(b.pid), '-d', ',']);
  assert.equal(omit.stdout.toString(), `${a.pid}\n`);
});

test('--table wraps a long command line inside its cell: every line fits the width, nothing is cut', async (t) => {
  // One 4 kB word (no spaces) and a few more: before, every row was padded to the longest command line.
  const tag = uniqueName();
  const long = tag + Array.from({ length: 400 }, (_, i) => `w${String(i).padStart(8, '0')}`).join('');
  const script = `sleep 30; : ${long} and more`;
  const sh = spawn('sh', ['-c', script], { stdio: 'ignore' });
  t.after(() => sh.kill('SIGKILL'));
  await waitFor(() => fs.existsSync(`/proc/${sh.pid}/cmdline`) && fs.readFileSync(`/proc/${sh.pid}/cmdline`, 'latin1').includes(tag), 'sh shows its command line');
  const width = 100;
  const res = await procwatch(['--table', '-f', tag], { env: { ...process.env, COLUMNS: String(width) } });
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.toString('utf8').trimEnd().split('\n');
  for (const l of lines) assert.ok([...l].length <= width, `line of ${[...l].length} characters: ${l}`);
  const command = lines
    .filter((l) => l.startsWith('│'))
    .slice(1) // the head
    .map((l) => l.split('│').at(-2).trim())
    .join('\n');
  // Lines break at spaces or inside the long word: without spaces and breaks the text is whole.
  const squash = (text) => text.replace(/[\n ]/g, '');
  assert.ok(squash(command) === squash(`sh -c ${script}`), `command cell: ${command.slice(0, 200)}…`);
  assert.match(command, /\bmore$/);
});

test('--table shows PID, PPID, user, state, threads, RSS, CPU time, start and command', async (t) => {
  const fx = fixture(t);
  const child = await fx.start(30, { args: ['7'] });
  const res = await procwatch(['--table', fx.name]);
  assert.equal(res.code, 0);
  const text = res.stdout.toString('utf8');
  for (const head of ['PID', 'PPID', 'USER', 'S', 'THR', 'RSS', 'TIME', 'START', 'COMMAND']) assert.match(text, new RegExp(`\\b${head}\\b`));
  const row = text.split('\n').find((l) => l.includes(`${fx.sleeper} 30 7`));
  assert.ok(row, text);
  const cells = row.split('│').map((s) => s.trim()).filter(Boolean);
  assert.deepEqual(cells.slice(0, 5), [String(child.pid), String(process.pid), os.userInfo().username, 'S', '1']);
  assert.match(cells[5], /^\d+(\.\d)?[KMG]$/, 'RSS');
  assert.match(cells[6], /^\d\d:\d\d:\d\d$/, 'CPU time');
  assert.match(cells[7], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'start');
  const none = await procwatch(['--table', uniqueName('none')]);
  assert.equal(none.code, 1);
  assert.equal(none.stdout.length, 0);
});
