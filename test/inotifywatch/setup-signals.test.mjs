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

test('nohup: a SIGHUP the parent ignored stays ignored while watches are set up; SIGINT then prints the result (as upstream)', async (t) => {
  const cwd = longList(t);
  const results = await Promise.all(tools.map(async (bin) => {
    // What nohup does: SIGHUP ignored, then exec. Node resets that at start-up; our launcher passes it on.
    const run = start('/bin/sh', ['-c', 'trap "" HUP; exec "$0" --fromfile list', bin], { cwd });
    t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
    await run.waitStderr('Establishing watches...\n');
    run.kill('SIGHUP');
    await run.ready(60000);
    // Upstream says it is collecting before it installs its handlers.
    if (bin === UPSTREAM) await waitFor(() => upstreamIdle(run.pid), 'upstream idle');
    run.kill('SIGINT');
    return run.result(30000);
  }));
  for (const r of results) {
    assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, r.stderr);
    assert.equal(r.stderr, `Establishing watches...\nFinished establishing watches, now collecting statistics.\nNo events occurred.\n`);
  }
  if (results.length === 2) assert.equal(results[0].stdout.toString('latin1'), results[1].stdout.toString('latin1'));
});

test('nohup: while collecting, SIGHUP ends the collection with the result even when the parent ignored it, as upstream (its handler replaces the ignore)', async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/d`);
  const results = await Promise.all(tools.map(async (bin) => {
    const run = start('/bin/sh', ['-c', 'trap "" HUP; exec "$0" d', bin], { cwd });
    t.after(() => run.child.exitCode === null && run.kill('SIGKILL'));
    await run.ready(30000);
    if (bin === UPSTREAM) await waitFor(() => upstreamIdle(run.pid), 'upstream idle');
    run.kill('SIGHUP');
    return run.result(30000);
  }));
  for (const r of results) {
    assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, r.stderr);
    assert.match(r.stderr, /No events occurred\.\n$/);
  }
});
