// Which directories are watched and how `{}` spells them: -f lists, -r (including directories created
// after start), trailing slashes, names that are not UTF-8, and a watched directory going away.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { LOG_DIR, caseDirs, logLines, start, touch, waitFor } from './helpers.mjs';

const caseDir = caseDirs();

/** -e command appending `{}` and a NUL to $LOG: exact bytes, even for names with newlines. */
const LOG_BYTES = ['sh', '-c', 'printf "%s\\0" "$1" >> "$LOG"', 'sh', '{}'];

/** The NUL-terminated records of a LOG_BYTES log, as Buffers. */
function records(log) {
  let data;
  try {
    data = fs.readFileSync(log);
  } catch {
    return [];
  }
  const out = [];
  for (let at = 0; at < data.length; ) {
    const end = data.indexOf(0, at);
    out.push(data.subarray(at, end));
    at = end + 1;
  }
  return out;
}

const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

describe('-f: directories from a file', () => {
  test('directories listed one per line are watched as if given on the command line', async () => {
    const base = caseDir();
    const plain = path.join(base, 'plain');
    const spaced = path.join(base, 'with spaces; and $(x)');
    const latin1 = bytes(base, '/caf', Buffer.from([0xe9])); // Latin-1 "café": not UTF-8
    const operand = path.join(base, 'operand');
    for (const dir of [plain, spaced, latin1, operand]) fs.mkdirSync(dir);
    const list = path.join(base, 'list');
    fs.writeFileSync(list, bytes(plain, '\n\n', spaced, '\n', latin1, '\n'));
    const log = path.join(base, 'log');
    const proc = start(['-t', '4', '-f', list, operand, '-e', ...LOG_BYTES], { env: { LOG: log } });
    await proc.ready(4);
    for (const [i, dir] of [plain, spaced, latin1, operand].entries()) {
      touch(bytes(dir, '/new'));
      await waitFor(() => records(log).length === i + 1, `run ${i + 1}`);
    }
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.deepEqual(records(log), [plain, spaced, latin1, operand].map((d) => bytes(d)));
  });

  test('-f can be given more than once', async () => {
    const base = caseDir();
    const one = path.join(base, 'one');
    const two = path.join(base, 'two');
    fs.mkdirSync(one);
    fs.mkdirSync(two);
    fs.writeFileSync(path.join(base, 'l1'), `${one}\n`);
    fs.writeFileSync(path.join(base, 'l2'), `${two}`); // no final newline
    const log = path.join(base, 'log');
    const proc = start(['-o', '-f', path.join(base, 'l1'), '--file', path.join(base, 'l2'), '-e', ...LOG_DIR], { env: { LOG: log } });
    await proc.ready(2);
    touch(path.join(two, 'x'));
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.deepEqual(logLines(log), [two]);
  });

  test('a missing directory in the list is an error', async () => {
    const base = caseDir();
    fs.writeFileSync(path.join(base, 'list'), 'missing\n');
    const proc = start(['-f', 'list'], { cwd: base });
    assert.equal((await proc.finished()).code, 1);
    assert.equal(proc.stderr(), "dnotify: cannot watch 'missing': No such file or directory\n");
  });
});

describe('-r: subdirectories', () => {
  test('changes in existing and newly created subdirectories trigger with that subdirectory as {}', async () => {
    const top = path.join(caseDir(), 'top');
    fs.mkdirSync(path.join(top, 'sub', 'deep'), { recursive: true });
    const log = path.join(path.dirname(top), 'log');
    const proc = start(['-r', '-C', '-t', '4', top, '-e', ...LOG_DIR], { env: { LOG: log } });
    await proc.ready(3);
    touch(path.join(top, 'sub', 'deep', 'f'));
    await waitFor(() => logLines(log).length === 1, 'the first run');
    // Created after start: the original dnotify never watched these.
    fs.mkdirSync(path.join(top, 'later'));
    touch(path.join(top, 'later', 'f'));
    await waitFor(() => logLines(log).length === 3, 'runs for the new directory and the file in it');
    touch(path.join(top, 'later', 'g'));
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.deepEqual(logLines(log), [
      path.join(top, 'sub', 'deep'),
      top, // `later` was created in top
      path.join(top, 'later'), // `f` was created in later (seen even if it came before the watch)
      path.join(top, 'later'),
    ]);
  });

  test('a new subdirectory with a non-UTF-8, newline-containing name reaches the command byte for byte', async () => {
    const base = caseDir();
    const top = path.join(base, 'top');
    fs.mkdirSync(top);
    const odd = bytes(top, '/n', Buffer.from([0xff, 0x0a, 0xfe]), ' x');
    const log = path.join(base, 'log');
    const proc = start(['-r', '-C', '-t', '2', top, '-e', ...LOG_BYTES], { env: { LOG: log } });
    await proc.ready(1);
    fs.mkdirSync(odd);
    touch(bytes(odd, '/f'));
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.deepEqual(records(log), [bytes(top), odd]);
  });

  test('without -r a change in a subdirectory does not trigger', async () => {
    const top = path.join(caseDir(), 'top');
    fs.mkdirSync(path.join(top, 'sub'), { recursive: true });
    const log = path.join(path.dirname(top), 'log');
    const proc = start(['-o', top, '-e', ...LOG_DIR], { env: { LOG: log } });
    await proc.ready(1);
    touch(path.join(top, 'sub', 'ignored'));
    touch(path.join(top, 'seen'));
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.deepEqual(logLines(log), [top]);
  });
});

describe('how {} spells the directory', () => {
  test('as given, relative, without trailing slashes (default command: echo {})', async () => {
    const base = caseDir('d');
    const proc = start(['-o', './d//'], { cwd: base });
    await proc.ready(1);
    touch(path.join(base, 'd', 'x'));
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.equal(proc.stdout().toString(), './d\n');
  });

  test('a non-UTF-8 directory name on the command line arrives intact', async () => {
    const base = caseDir();
    const dir = bytes(base, '/n', Buffer.from([0xfe, 0xff]));
    fs.mkdirSync(dir);
    const log = path.join(base, 'log');
    // Node's spawn cannot pass these bytes either; a shell builds the argument with printf.
    const proc = start([`${base}/n\\0376\\0377`, ...LOG_BYTES], {
      env: { LOG: log },
      viaShell: 'd=$(printf "%b" "$1"); shift; exec "$0" -o "$d" -e "$@"',
    });
    await proc.ready(1);
    touch(bytes(dir, '/x'));
    assert.equal((await proc.finished()).code, 0, proc.stderr());
    assert.deepEqual(records(log), [dir]);
  });
});

describe('watched directories going away', () => {
  test('rmdir of the only watched directory: nothing runs, exit 1', async () => {
    const base = caseDir('mail');
    const proc = start(['-o', 'mail'], { cwd: base });
    await proc.ready(1);
    fs.rmSync(path.join(base, 'mail'), { recursive: true }); // rmdir: DELETE_SELF, not a change *in* it
    const { code } = await proc.finished();
    // The watched directory itself went away: nothing ran, dnotify says so and stops.
    assert.equal(code, 1);
    assert.equal(proc.stdout().toString(), '');
    assert.equal(proc.stderr(), "dnotify: 'mail' was deleted or unmounted, no longer watching it\ndnotify: no directories left to watch\n");
  });

  test('dnotify goes on while one directory is left, and exits 1 when none is', async () => {
    const base = caseDir('a', 'b');
    const proc = start(['a', 'b', '-e', 'true'], { cwd: base });
    await proc.ready(2);
    fs.rmdirSync(path.join(base, 'a'));
    await waitFor(() => proc.stderr().includes("'a' was deleted"), 'the warning for a');
    assert.equal(proc.child.exitCode, null, 'still running while b is watched');
    fs.rmdirSync(path.join(base, 'b'));
    assert.equal((await proc.finished()).code, 1);
    assert.match(proc.stderr(), /no directories left to watch\n$/);
  });
});
