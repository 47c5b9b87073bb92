// Signals and -b: shutdown reaches running commands' process groups and waits for them; -b detaches.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { caseDirs, inotifyWatchCount, logLines, start, touch, waitFor } from './helpers.mjs';

after(() => killTagged()); // before the case directories go (after hooks run in the order they are added)
const caseDir = caseDirs();

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A run that records its pid, handles SIGTERM by logging `TERM`, lingering, and logging `bye` (so dnotify
 * must wait for it), and meanwhile keeps a child `sleep` in its process group.
 */
const TRAPPING_RUN = [
  'sh', '-c',
  'trap \'echo TERM >> "$LOG"; sleep 0.3; echo bye >> "$LOG"; exit 0\' TERM; ' +
  'echo "pid $$" >> "$LOG"; while :; do sleep 0.05; done',
  'sh', '{}',
];

/**
 * Starts dnotify on `d` in a fresh case directory running `command` (which logs to $LOG), once it watches,
 * makes a change in `d`.
 */
async function startWithChange(command) {
  const base = caseDir('d');
  const log = path.join(base, 'log');
  const proc = start(['d', '-e', ...command], { cwd: base, env: { LOG: log } });
  await proc.ready(1);
  touch(path.join(base, 'd', 'x'));
  return { proc, log };
}

/** Resolves with the pid a run logged (`pid N`), once it has. */
async function runPid(log) {
  return Number((await waitFor(() => logLines(log).find((l) => l.startsWith('pid ')), 'the run')).slice(4));
}

describe('SIGTERM and SIGINT', () => {
  test('SIGTERM with a running command: it gets the signal, dnotify waits, then dies of SIGTERM', async () => {
    const { proc, log } = await startWithChange(TRAPPING_RUN);
    const pid = await runPid(log);
    assert.ok(groupAlive(pid), 'the run leads its own process group');
    proc.kill('SIGTERM');
    const end = await proc.finished();
    assert.deepEqual(end, { code: null, signal: 'SIGTERM' });
    assert.deepEqual(logLines(log).slice(1), ['TERM', 'bye'], 'the command finished before dnotify exited');
    await waitFor(() => !groupAlive(pid), 'the process group (sh and its sleep) to be gone', 3000);
    // (the shell may report its killed `sleep` as "Terminated"; dnotify itself has nothing to say)
    assert.doesNotMatch(proc.stderr(), /dnotify:/);
  });

  test('SIGINT reaches the command too, and dnotify dies of SIGINT', async () => {
    const run = ['sh', '-c', 'trap \'echo INT >> "$LOG"; exit 130\' INT; echo "pid $$" >> "$LOG"; while :; do sleep 0.05; done'];
    const { proc, log } = await startWithChange(run);
    await waitFor(() => logLines(log).length === 1, 'the run');
    proc.kill('SIGINT');
    assert.deepEqual(await proc.finished(), { code: null, signal: 'SIGINT' });
    assert.deepEqual(logLines(log).slice(1), ['INT']);
  });

  test('SIGTERM while idle exits at once with the signal', async () => {
    const base = caseDir('d');
    const proc = start(['d'], { cwd: base });
    await proc.ready(1);
    proc.kill('SIGTERM');
    assert.deepEqual(await proc.finished(), { code: null, signal: 'SIGTERM' });
  });

  test('after SIGTERM a queued change never starts', async () => {
    const base = caseDir('a', 'b', 'c');
    const log = path.join(base, 'log');
    const proc = start(['-q', '1', 'a', 'b', 'c', '-e', ...TRAPPING_RUN], { cwd: base, env: { LOG: log } });
    await proc.ready(3);
    touch(path.join(base, 'a', 'x'));
    await waitFor(() => logLines(log).length === 1, 'the run for a');
    touch(path.join(base, 'b', 'x')); // queued
    touch(path.join(base, 'c', 'x')); // dropped: once this warning is out, b is surely queued
    await waitFor(() => proc.stderr().includes('dropped'), 'the drop warning');
    proc.kill('SIGTERM');
    assert.deepEqual(await proc.finished(), { code: null, signal: 'SIGTERM' });
    const lines = logLines(log);
    assert.equal(lines.filter((l) => l.startsWith('pid ')).length, 1, 'only the first run ever started');
    assert.deepEqual(lines.slice(1), ['TERM', 'bye']);
  });

  test('a second signal kills commands that ignore the first', async () => {
    const stubborn = ['sh', '-c', 'trap \'echo ignored >> "$LOG"\' TERM; echo "pid $$" >> "$LOG"; while :; do sleep 0.05; done'];
    const { proc, log } = await startWithChange(stubborn);
    const pid = await runPid(log);
    proc.kill('SIGTERM');
    await waitFor(() => logLines(log).includes('ignored'), 'the command to shrug off SIGTERM');
    assert.equal(proc.child.exitCode, null, 'dnotify still waits for it');
    proc.kill('SIGTERM');
    assert.deepEqual(await proc.finished(), { code: null, signal: 'SIGTERM' });
    await waitFor(() => !groupAlive(pid), 'the SIGKILLed group to be gone', 3000);
  });
});

// -b: the detached process outlives the test's child; it is found (and killed) by a tag in its environment.
const TAG = `IK_DNOTIFY_TEST_TAG`;
const tagValue = `${process.pid}-${Date.now()}`;

function taggedPids() {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`${TAG}=${tagValue}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function killTagged() {
  for (const pid of taggedPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

describe('-b: background', () => {
  test('returns once watching, detached (own session, no terminal) in /, with relative paths made absolute', async () => {
    const base = caseDir('rel dir', 'hooks');
    const log = path.join(base, 'log');
    fs.writeFileSync(path.join(base, 'hooks', 'hook'), '#!/bin/sh\necho "$PPID|$(pwd)|$1" >> "$LOG"\n', { mode: 0o755 });
    const launcher = start(['-b', 'rel dir', '-e', './hooks/hook', '{}'], { cwd: base, env: { LOG: log, [TAG]: tagValue } });
    // The first process must exit by itself, 0, while the watcher goes on.
    const { code } = await launcher.finished();
    assert.equal(code, 0, launcher.stderr());
    const daemons = taggedPids().filter((pid) => inotifyWatchCount(pid) > 0);
    assert.equal(daemons.length, 1, 'one detached dnotify, already watching');
    const daemon = daemons[0];

    touch(path.join(base, 'rel dir', 'x')); // no wait needed: it was watching before the launcher exited
    const line = await waitFor(() => logLines(log)[0], 'the hook to run');
    assert.equal(line, `${daemon}|/|${path.join(base, 'rel dir')}`);

    // /proc/PID/stat: pid (comm) state ppid pgrp session tty_nr ...
    const stat = fs.readFileSync(`/proc/${daemon}/stat`, 'utf8');
    const [, , pgrp, session, ttyNr] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    assert.equal(Number(session), daemon, 'leads its own session');
    assert.equal(Number(pgrp), daemon);
    assert.equal(Number(ttyNr), 0, 'no controlling terminal');
    assert.equal(fs.readlinkSync(`/proc/${daemon}/cwd`), '/');
    assert.equal(fs.readlinkSync(`/proc/${daemon}/fd/0`), '/dev/null');

    process.kill(daemon, 'SIGTERM');
    await waitFor(() => !fs.existsSync(`/proc/${daemon}`) || fs.readFileSync(`/proc/${daemon}/stat`, 'utf8').includes(') Z'), 'the detached dnotify to exit', 5000);
  });

  test('start-up errors are reported by the first process, which exits non-zero', async () => {
    const base = caseDir();
    const r = start(['-b', 'missing'], { cwd: base, env: { [TAG]: tagValue } });
    assert.equal((await r.finished()).code, 1);
    assert.equal(r.stderr(), "dnotify: cannot watch 'missing': No such file or directory\n");
    assert.deepEqual(taggedPids().filter((pid) => inotifyWatchCount(pid) > 0), [], 'nothing left watching');
  });
});
