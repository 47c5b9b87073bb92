// The options beyond inotify-tools, and the places where we differ from upstream on purpose.
import { afterTimestampTick } from '../lib/fs-clock.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { OURS, UPSTREAM, needUpstream, start, tempDir, upstreamIdle, waitFor } from './helpers.mjs';
// The boxes expected below are drawn in a UTF-8 locale (ASCII borders otherwise: cli-kit/table-chars).
process.env.LC_ALL = 'C.UTF-8';

/** Runs ours in a fresh directory holding `tree`, applies `act`, ends it with SIGINT. */
async function collect(t, args, { tree = {}, act = () => {} } = {}) {
  const cwd = tempDir(t);
  for (const [rel, content] of Object.entries({ d: null, ...tree })) {
    if (content === null) fs.mkdirSync(path.join(cwd, rel), { recursive: true });
    else fs.writeFileSync(path.join(cwd, rel), content);
  }
  const run = start(OURS, args, { cwd });
  t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
  await run.ready();
  await act(cwd, run);
  run.kill('SIGINT');
  return { ...(await run.result()), cwd };
}

const TREE = { 'd/b': 'bee', 'd/sub': null };
function act(cwd) {
  fs.writeFileSync(`${cwd}/d/a`, 'x'); // d/: create open modify close_write
  fs.readFileSync(`${cwd}/d/b`); // open access close_nowrite
  fs.chmodSync(`${cwd}/d/b`, 0o600); // attrib
  fs.writeFileSync(`${cwd}/d/sub/c`, ''); // d/sub/: create open close_write
}

test('--per-file: a row per path; ties in first-seen order; -z adds the quiet watches', async (t) => {
  const r = await collect(t, ['--per-file', '-r', 'd'], { tree: TREE, act });
  assert.equal(r.stdout.toString(),
    'total  access  modify  attrib  close_write  close_nowrite  open  create  filename\n' +
    '4      0       1       0       1            0              1     1       d/a\n' +
    '4      1       0       1       0            1              1     0       d/b\n' +
    '3      0       0       0       1            0              1     1       d/sub/c\n');
  assert.equal(r.code, 0);
  const z = await collect(t, ['--per-file', '-z', '-e', 'create', '-r', 'd'], { tree: TREE, act });
  assert.equal(z.stdout.toString(), 'total  create  filename\n1      1       d/a\n1      1       d/sub/c\n0      0       d/sub/\n0      0       d/\n');
});

test('--table: boxed, right-aligned, events per second and a totals row', async (t) => {
  const r = await collect(t, ['--table', '-r', 'd'], { tree: TREE, act });
  const lines = r.stdout.toString().trimEnd().split('\n');
  assert.match(lines[0], /^┌─+┬/);
  assert.match(lines[1], /^│ total │ access │ modify │ attrib │ close_write │ close_nowrite │ open │ create │ events\/s │ filename +│$/);
  assert.match(lines[3], /^│ +8 │ +1 │ +1 │ +1 │ +1 │ +1 │ +2 │ +1 │ +\d+\.\d\d │ d\/ +│$/);
  assert.match(lines[4], /^│ +3 │ +0 │ +0 │ +0 │ +1 │ +0 │ +1 │ +1 │ +\d+\.\d\d │ d\/sub\/ +│$/);
  assert.equal(lines[5], lines[2], 'a rule above the totals');
  assert.match(lines[6], /^│ +11 │ +1 │ +1 │ +1 │ +2 │ +1 │ +3 │ +2 │ +\d+\.\d\d │ all watches, \d+\.\d s +│$/);
  assert.match(lines[7], /^└─+┴/);
  assert.equal(new Set(lines.map((l) => [...l].length)).size, 1, 'every line as wide');
  assert.doesNotMatch(r.stdout.toString(), /\x1b/, 'no colours when piped');
});

test('--table shows awkward names escaped on one line', async (t) => {
  const r = await collect(t, ['--table', '--per-file', '-e', 'create', 'd'], {
    act: (cwd) => {
      fs.writeFileSync(Buffer.from(`${cwd}/d/caf\xc3\xa9 \xff\n\\x`, 'latin1'), '');
    },
  });
  assert.match(r.stdout.toString(), /│ d\/café \\xff\\n\\\\x +│/);
});

test('--json: one document, every watched column, exact bytes for non-UTF-8 names', async (t) => {
  const r = await collect(t, ['--json', '--per-file', '-e', 'create,delete', 'd'], {
    act: (cwd) => {
      fs.writeFileSync(Buffer.from(`${cwd}/d/\xff.bin`, 'latin1'), '');
      fs.writeFileSync(`${cwd}/d/plain`, '');
      fs.unlinkSync(`${cwd}/d/plain`);
    },
  });
  const lines = r.stdout.toString().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[1], '');
  const doc = JSON.parse(lines[0]);
  assert.equal(doc.mode, 'file');
  assert.deepEqual(doc.events, ['create', 'delete']);
  assert.ok(doc.elapsed_seconds > 0);
  assert.equal(doc.overflows, 0);
  assert.equal(doc.totals.total, 3);
  assert.equal(doc.totals.counts.create, 2);
  assert.equal(doc.totals.counts.delete, 1);
  assert.ok(doc.totals.events_per_second > 0);
  const plain = doc.rows.find((row) => row.path === 'd/plain');
  assert.deepEqual({ ...plain, events_per_second: 0 }, { path: 'd/plain', total: 2, counts: { create: 1, delete: 1 }, events_per_second: 0 });
  const odd = doc.rows.find((row) => row.path_base64 !== undefined);
  assert.equal(Buffer.from(odd.path_base64, 'base64').toString('latin1'), 'd/\xff.bin');
  assert.equal(odd.path, 'd/\ufffd.bin');
  assert.equal(r.stderr.includes('No events occurred.'), false);
});

test('--json and --csv print a document even when nothing happened', async (t) => {
  const j = await collect(t, ['--json', 'd']);
  const doc = JSON.parse(j.stdout.toString());
  assert.deepEqual(doc.rows, []);
  assert.equal(doc.totals.total, 0);
  assert.equal(j.stderr.includes('No events occurred.'), false);
  const c = await collect(t, ['--csv', '-e', 'open', 'd']);
  assert.equal(c.stdout.toString(), 'total,open,events_per_second,filename\n');
});

test('--csv: RFC 4180 quoting of the exact bytes, all watched columns', async (t) => {
  const r = await collect(t, ['--csv', '--per-file', '-e', 'create', '-e', 'attrib', 'd'], {
    act: (cwd) => {
      for (const name of ['a,b"c', ' lead', 'x\ny', 'plain']) fs.writeFileSync(`${cwd}/d/${name}`, '');
    },
  });
  const text = r.stdout.toString();
  assert.match(text, /^total,attrib,create,events_per_second,filename\n/);
  const rows = text.split('\n').slice(1, -1).join('\n');
  assert.match(rows, /^1,0,1,\d+\.\d{3},"d\/a,b""c"$/m);
  assert.match(rows, /^1,0,1,\d+\.\d{3},d\/ lead$/m);
  assert.match(rows, /^1,0,1,\d+\.\d{3},"d\/x\ny"$/m);
  assert.match(rows, /^1,0,1,\d+\.\d{3},d\/plain$/m);
});

test('--interval: snapshots while collecting (an empty line after each), NDJSON with --json', async (t) => {
  const r = await collect(t, ['--interval', '0.1', 'd'], {
    act: async (cwd, run) => {
      fs.writeFileSync(`${cwd}/d/a`, '');
      await waitFor(() => run.stdout().toString().split('filename\n').length > 2, 'two interval prints');
    },
  });
  const prints = r.stdout.toString().split('total  ');
  assert.ok(prints.length >= 4, 'two or more interim prints and the final one');
  for (const interim of prints.slice(1, -1)) assert.match(interim, /d\/\n\n$/);
  const j = await collect(t, ['--json', '--interval', '0.1', 'd'], {
    act: (cwd, run) => waitFor(() => run.stdout().toString().split('\n').length > 3, 'three JSON lines'),
  });
  const docs = j.stdout.toString().trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.ok(docs.length >= 4);
  assert.ok(docs.every((d, i) => i === 0 || d.elapsed_seconds >= docs[i - 1].elapsed_seconds));
});

test('--live redraws in place on a terminal, and re-prints when piped', async (t) => {
  const piped = await collect(t, ['--live', '--interval', '0.1', 'd'], {
    act: async (cwd, run) => {
      fs.writeFileSync(`${cwd}/d/a`, '');
      await waitFor(() => run.stdout().toString().split('filename\n').length > 2, 'two prints');
    },
  });
  assert.doesNotMatch(piped.stdout.toString(), /\x1b/);
  const hasScript = spawnSync('script', ['--version']).status === 0;
  if (!hasScript) return t.skip('needs script(1) for a terminal');
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  fs.writeFileSync(`${cwd}/d/a`, '');
  // Under script(1) stdout is a pty; -t ends it after a few redraws.
  const r = spawnSync('script', ['-qec', `${OURS} --live --interval 0.2 -t 1 d`, '/dev/null'], { cwd, encoding: 'latin1', timeout: 20000 });
  const redraws = r.stdout.split('\x1b[H\x1b[2J').length - 1;
  assert.ok(redraws >= 3, `redraws: ${redraws}\n${JSON.stringify(r.stdout)}`);
  assert.equal(r.status, 0);
});

test('--rescan: what a directory moved into the tree already held is not counted, what is made in it is', async (t) => {
  const tree = { outside: null, 'outside/new': null, 'outside/new/f': '', 'outside/new/g': '' };
  const move = (cwd) => fs.renameSync(`${cwd}/outside/new`, `${cwd}/d/new`);
  const plain = await collect(t, ['-r', '--rescan', '--no-rescan', '-e', 'create,moved_to', 'd'], { tree, act: move });
  assert.equal(plain.stdout.toString(), 'total  moved_to  filename\n1      1         d/\n', 'upstream semantics: the contents go unseen');
  const rescan = await collect(t, ['-r', '--rescan', '-e', 'create,moved_to', 'd'], { tree, act: move });
  assert.equal(rescan.stdout.toString(), 'total  moved_to  filename\n1      1         d/\n', 'nothing was created: f and g are not counted');
  // h is made after the move but before the watcher can watch the directory (it is stopped meanwhile).
  const made = await collect(t, ['-r', '--rescan', '-e', 'create,moved_to', 'd'], {
    tree,
    act: async (cwd, run) => {
      await afterTimestampTick(cwd, `${cwd}/outside/new/g`);
      process.kill(run.child.pid, 'SIGSTOP');
      move(cwd);
      await afterTimestampTick(cwd, `${cwd}/d/new`);
      fs.writeFileSync(`${cwd}/d/new/h`, '');
      process.kill(run.child.pid, 'SIGCONT');
    },
  });
  assert.deepEqual(made.stdout.toString().split('\n').slice(1).sort(), ['', '1      0         1       d/new/', '1      1         0       d/'].sort());
});

test('-d access sorts by access (upstream sorts by total there: B31)', async (t) => {
  const tree = { 'a': null, 'b': null, 'b/f': 'data' };
  const act = (cwd) => {
    for (const n of ['x', 'y', 'z']) fs.writeFileSync(`${cwd}/a/${n}`, '');
    fs.readFileSync(`${cwd}/b/f`);
  };
  const r = await collect(t, ['-d', 'access', 'a', 'b'], { tree, act });
  assert.match(r.stdout.toString(), /^total.*\n3 .* b\/\n9 .* a\/\n$/);
});

test('-d access differs from upstream exactly there', { skip: needUpstream }, async (t) => {
  const cwd = tempDir(t);
  for (const p of ['a', 'b']) fs.mkdirSync(`${cwd}/${p}`);
  fs.writeFileSync(`${cwd}/b/f`, 'data');
  const run = start(UPSTREAM, ['-d', 'access', 'a', 'b'], { cwd });
  await run.ready();
  for (const n of ['x', 'y', 'z']) fs.writeFileSync(`${cwd}/a/${n}`, '');
  fs.readFileSync(`${cwd}/b/f`);
  await waitFor(() => upstreamIdle(run.pid), 'upstream idle');
  run.kill('SIGINT');
  assert.match((await run.result()).stdout.toString(), /^total.*\n9 .* a\/\n3 .* b\/\n$/);
});

test('a directory moved out of the tree keeps its row (upstream drops it)', async (t) => {
  const r = await collect(t, ['-r', 'd'], {
    tree: { 'd/sub': null, 'd/sub/f': 'x' },
    act: (cwd) => {
      fs.readFileSync(`${cwd}/d/sub/f`);
      fs.renameSync(`${cwd}/d/sub`, `${cwd}/gone`);
    },
  });
  const text = r.stdout.toString();
  assert.match(text, /^total {2}access {2}close_nowrite {2}open {2}moved_from {2}move_self {2}filename\n/);
  assert.match(text, /^1 {6}0 {7}0 {14}0 {5}1 {11}0 {10}d\/$/m);
  // open, access, close_nowrite, then MOVE_SELF; IGNORED once its watch is dropped.
  assert.match(text, /^[45] +1 +1 +1 +0 +1 +d\/sub\/$/m);
});

test('queue overflow is reported in --json (counts are then incomplete)', async (t) => {
  const r = await collect(t, ['--json', '-e', 'open,close_write', 'd'], {
    tree: { 'd/a': '', 'd/b': '' },
    act: async (cwd, run) => {
      run.kill('SIGSTOP'); // nothing is read meanwhile: the kernel queue fills up
      try {
        const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
        // OPEN a, CLOSE_WRITE a, OPEN b, …: no two alike in a row, so none is merged.
        for (let i = 0; i <= limit / 2; i++) fs.closeSync(fs.openSync(`${cwd}/d/${i % 2 ? 'a' : 'b'}`, 'r+'));
      } finally {
        run.kill('SIGCONT');
      }
    },
  });
  const doc = JSON.parse(r.stdout.toString());
  assert.equal(doc.overflows, 1);
  assert.ok(doc.totals.counts.open > 0);
});
