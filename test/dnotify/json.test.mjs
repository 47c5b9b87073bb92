// --json: each change is printed as a file-event record instead of running a command (the records are
// validated against the schema in test/json); only the kinds chosen count, and -t counts the records.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { start, tempDir, waitFor } from './helpers.mjs';

const records = (proc) => proc.stdout().toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('--json -D -t 2: a delete and a move out are the two changes; a create is not one; then exit 0', async (t) => {
  const tmp = tempDir();
  t.after(() => tmp.cleanup());
  const d = path.join(tmp.dir, 'd');
  fs.mkdirSync(d);
  for (const f of ['gone', 'moved']) fs.writeFileSync(path.join(d, f), '');
  const proc = start(['--json', '-D', '-t', '2', 'd'], { cwd: tmp.dir });
  t.after(() => proc.kill());
  await proc.ready(1);
  fs.writeFileSync(path.join(d, 'new'), ''); // not a -D change
  fs.rmSync(path.join(d, 'gone'));
  fs.renameSync(path.join(d, 'moved'), path.join(tmp.dir, 'out'));
  const { code } = await proc.finished();
  assert.equal(code, 0);
  assert.deepEqual(
    records(proc).map((r) => [r.events, r.path, r.watch, r.name]),
    [
      [['delete'], 'd/gone', 'd/', 'gone'],
      [['moved_from'], 'd/moved', 'd/', 'moved'],
    ],
  );
  assert.equal(proc.stderr(), '');
});

test('--json prints every change, in order, none dropped or merged', async (t) => {
  const tmp = tempDir();
  t.after(() => tmp.cleanup());
  fs.mkdirSync(path.join(tmp.dir, 'd'));
  const proc = start(['--json', '-C', 'd'], { cwd: tmp.dir });
  t.after(() => proc.kill());
  await proc.ready(1);
  const n = 500;
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(tmp.dir, 'd', `f${i}`), '');
  await waitFor(() => records(proc).length >= n, `${n} records`);
  assert.deepEqual(
    records(proc).map((r) => r.name),
    Array.from({ length: n }, (_, i) => `f${i}`),
  );
});
