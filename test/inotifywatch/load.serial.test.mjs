// Counts are exact under load: four writers, 125,000 events each, at the default kernel queue size.
// A *.serial.test.mjs file runs after the parallel tests, alone, so other suites do not compete for the CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OURS, UPSTREAM, hasUpstream, start, tempDir, upstreamIdle, waitFor } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITERS = 4;
const EVENTS_PER_WRITER = 125_000;
const FILES_PER_WRITER = 5_000; // 15,000 events to create them, then 55,000 open/close pairs

function writer(dir, prefix) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'fixtures/create-files.mjs'), dir, prefix, String(FILES_PER_WRITER), String(EVENTS_PER_WRITER)], { stdio: 'inherit' });
    // The writers yield to the readers when both want the CPU, as a monitor would be set up; otherwise
    // four writers on a busy two-core machine can outrun any reader by a full queue (16384 events).
    os.setPriority(child.pid, 19);
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

  const created = WRITERS * FILES_PER_WRITER;
  const total = WRITERS * EVENTS_PER_WRITER;
  const opened = (total - created) / 2;
  const doc = JSON.parse((await ours.result()).stdout.toString());
  assert.equal(doc.overflows, 0, 'no queue overflow');
  assert.deepEqual(
    { total: doc.totals.total, create: doc.totals.counts.create, open: doc.totals.counts.open, close_write: doc.totals.counts.close_write },
    { total, create: created, open: opened, close_write: opened },
  );
  assert.equal(doc.rows.length, 1);
  if (upstream) {
    const table = (await upstream.result()).stdout.toString();
    const expected = `total  close_write  open  create  filename\n${total}  ${String(opened).padEnd(11)}  ${opened}  ${created}   d/\n`;
    assert.equal(table, expected, 'upstream counted them all too');
  }
});
