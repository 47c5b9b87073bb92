// Signals while watches are being set up (B28): the first SIGINT explains, the second aborts (exit 1);
// SIGUSR1 then does no harm. A long --fromfile list (the same directory 300,000 times) keeps both tools
// in their setup loop long enough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { OURS, UPSTREAM, hasUpstream, start, tempDir, upstreamIdle, waitFor } from './helpers.mjs';

const FIRST =
  "No statistics have been collected because I haven't finished establishing\n" +
  'inotify watches yet.  If you are sure you want me to exit, interrupt me again.\n';
const SECOND = 'No statistics collected, asked to abort before all watches could be established.\n';

function longList(t) {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  fs.writeFileSync(`${cwd}/list`, 'd\n'.repeat(300_000));
  return cwd;
}

const tools = hasUpstream ? [OURS, UPSTREAM] : [OURS];

/** Starts `bin` on the long list in `cwd` and sends the first SIGINT once it is establishing watches. */
async function interruptSetup(t, bin, cwd) {
  const run = start(bin, ['--fromfile', 'list'], { cwd });
  t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
  await run.waitStderr('Establishing watches...\n');
  run.kill('SIGINT');
  return run;
}

test('SIGINT twice during setup: two messages, exit 1, nothing on stdout (B28)', async (t) => {
  const cwd = longList(t);
  const results = await Promise.all(tools.map(async (bin) => {
    const run = await interruptSetup(t, bin, cwd);
    await run.waitStderr(FIRST);
    // Ours ignores SIGUSR1 here (upstream dies of it; Node would open its inspector).
    if (bin === OURS) run.kill('SIGUSR1');
    run.kill('SIGINT');
    return run.result();
  }));
  for (const r of results) {
    assert.equal(r.stderr, `Establishing watches...\n${FIRST}${SECOND}`);
    assert.equal(r.stdout.length, 0);
    assert.equal(r.code, 1);
  }
});

test('one SIGINT during setup only explains; collection then starts and ends normally', async (t) => {
  const cwd = longList(t);
  const results = await Promise.all(tools.map(async (bin) => {
    const run = await interruptSetup(t, bin, cwd);
    await run.ready(60000);
    if (bin === UPSTREAM) await waitFor(() => upstreamIdle(run.pid), 'upstream idle');
    run.kill('SIGINT');
    return run.result();
  }));
  for (const r of results) {
    assert.equal(r.stderr, `Establishing watches...\n${FIRST}Finished establishing watches, now collecting statistics.\nNo events occurred.\n`);
    assert.equal(r.code, 0);
  }
});
