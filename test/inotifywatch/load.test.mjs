// Counts are exact under load: four writers, 125,000 events each, at the default kernel queue size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OURS, UPSTREAM, hasUpstream, start, tempDir, upstreamIdle, waitFor } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITERS = 4;
const FILES_PER_WRITER = 41_667; // × 3 events = 125,001 events per writer

function writer(dir, prefix) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'fixtures/create-files.mjs'), dir, prefix, String(FILES_PER_WRITER)], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${prefix} exited ${code}`))));
  });
}

test('4 × 125,000 events are counted exactly (as inotifywatch 3.22.6 does)', { timeout: 120_000 }, async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  const args = ['-e', 'create,open,close_write', 'd'];
  const ours = start(OURS, ['--json', ...args], { cwd });
  // The real one watches the same directory: the same events, counted side by side.
  const upstream = hasUpstream ? start(UPSTREAM, args, { cwd }) : undefined;
  const runs = [ours, upstream].filter(Boolean);
  t.after(() => runs.forEach((r) => r.child.exitCode === null && r.kill('SIGKILL')));
  await Promise.all(runs.map((r) => r.ready()));

  await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(`${cwd}/d`, `w${i}-`)));
  if (upstream) await waitFor(() => upstreamIdle(upstream.pid), 'upstream to read everything', 60_000);
  runs.forEach((r) => r.kill('SIGINT'));

  const files = WRITERS * FILES_PER_WRITER;
  const doc = JSON.parse((await ours.result()).stdout.toString());
  assert.equal(doc.overflows, 0, 'no queue overflow');
  assert.deepEqual(
    { total: doc.totals.total, create: doc.totals.create, open: doc.totals.open, close_write: doc.totals.close_write },
    { total: 3 * files, create: files, open: files, close_write: files },
  );
  assert.equal(doc.rows.length, 1);
  if (upstream) {
    const table = (await upstream.result()).stdout.toString();
    const expected = `total  close_write  open  create  filename\n${String(3 * files).padEnd(5)}  ${String(files).padEnd(11)}  ${String(files).padEnd(4)}  ${String(files).padEnd(6)}  d/\n`;
    assert.equal(table, expected, 'upstream counted them all too');
  }
});
