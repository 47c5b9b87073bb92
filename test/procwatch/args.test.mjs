// procwatch's arguments are bytes (cli-kit's rawArgs): a pattern or name that is not UTF-8 matches the
// kernel's bytes exactly, and a message that quotes an argument quotes its bytes. Node can only pass UTF-8
// to a child, so these run procwatch (and the program it looks for) through sh, which decodes printf escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, commOf, waitFor } from './helpers.mjs';

const SLEEP = fs.existsSync('/bin/sleep') ? '/bin/sleep' : '/usr/bin/sleep';

/** printf %b's form of some bytes: every byte as \0NNN. */
const escaped = (buf) => [...buf].map((b) => `\\0${b.toString(8).padStart(3, '0')}`).join('');

/** procwatch with `args`, each given as a Buffer (its exact bytes) or a string; { code, stdout, stderr } as Buffers. */
function procwatchBytes(args) {
  const script = `${args.map((_, i) => `a${i}=$(printf '%b' "$${i + 3}")`).join('; ')}; exec "$1" "$2" ${args.map((_, i) => `"$a${i}"`).join(' ')}`;
  const words = args.map((a) => escaped(Buffer.isBuffer(a) ? a : Buffer.from(a)));
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', script, 'sh', process.execPath, BIN, ...words], { encoding: 'buffer', timeout: 10_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, stdout, stderr }),
    );
  });
}

test('a process name that is not UTF-8: matched by its bytes (search, pidof), shown as its bytes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-pwbytes-'));
  const name = Buffer.concat([Buffer.from('ikpw\xff', 'latin1'), Buffer.from(crypto.randomBytes(3).toString('hex'))]);
  const program = Buffer.concat([Buffer.from(`${dir}/`), name]);
  fs.copyFileSync(SLEEP, program);
  fs.chmodSync(program, 0o755);
  const child = spawn('/bin/sh', ['-c', 'exec "$(printf \'%b\' "$0")" 30', escaped(program)], { stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await waitFor(() => commOf(child.pid) === name.toString('latin1'), 'the program runs under its non-UTF-8 name');

  const listed = await procwatchBytes(['-l', name.subarray(0, 6)]);
  assert.equal(listed.code, 0, listed.stderr.toString());
  assert.deepEqual(listed.stdout, Buffer.concat([Buffer.from(`${child.pid} `), name, Buffer.from('\n')]));
  const exact = await procwatchBytes(['-x', name]);
  assert.equal(exact.stdout.toString(), `${child.pid}\n`);
  // What a lossy decoding of the argument would look for (U+FFFD for the byte) is not the name.
  const replaced = await procwatchBytes(['-x', name.toString('utf8')]);
  assert.equal(replaced.code, 1);
  const pidof = await procwatchBytes(['--pidof', name]);
  assert.equal(pidof.stdout.toString(), `${child.pid}\n`);
});

test('a message that quotes an argument quotes its bytes', async () => {
  const res = await procwatchBytes(['-m', '--interval', Buffer.from('x\xff', 'latin1')]);
  assert.equal(res.code, 2);
  assert.deepEqual(res.stderr.subarray(0, res.stderr.indexOf(0x0a)), Buffer.from('procwatch: invalid --interval: x\xff', 'latin1'));
  const option = await procwatchBytes([Buffer.from('--caf\xe9', 'latin1')]);
  assert.equal(option.code, 2);
  assert.match(option.stderr.toString('latin1'), /^procwatch: unrecognized option '--caf\xe9'\n/);
});
