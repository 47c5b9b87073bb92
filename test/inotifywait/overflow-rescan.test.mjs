// --rescan-on-overflow: directories made while the kernel queue was overflowing are watched and printed
// once the queue is drained (without it they stay unwatched, as in inotify-tools).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { OURS, processIdle, start, tempDir, waitFor } from './helpers.mjs';

const touch = (p) => fs.closeSync(fs.openSync(p, 'a'));

test('--rescan-on-overflow: a directory made during an overflow is watched and printed with what it holds', { timeout: 180000 }, async (t) => {
  const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'latin1'));
  if (limit > 70000) return t.skip(`max_queued_events is ${limit}: too many files to create`);
  for (const rescan of [true, false]) {
    const dir = tempDir(t);
    fs.mkdirSync(`${dir}/d`);
    const args = ['-m', '-r', '--format', '%e %w%f', '-e', 'create', ...(rescan ? ['--rescan-on-overflow'] : []), 'd'];
    const run = start(OURS, args, { cwd: dir });
    t.after(() => run.exited() || run.kill('SIGKILL'));
    await run.waitStderr('Watches established.\n', 30000);
    const text = () => run.stdout().toString('latin1');
    process.kill(run.pid, 'SIGSTOP');
    for (let i = 0; i <= limit; i++) touch(`${dir}/d/${i}`);
    fs.mkdirSync(`${dir}/d/late/inner`, { recursive: true }); // its CREATE is lost with the overflow
    touch(`${dir}/d/late/inner/f`);
    process.kill(run.pid, 'SIGCONT');
    await run.waitStderr('overflowed', 30000);
    await waitFor(() => processIdle(run.pid), 'ours to be idle', 30000);
    touch(`${dir}/d/late/inner/g`);
    touch(`${dir}/d/after`);
    await waitFor(() => text().includes('CREATE d/after\n'), 'the event after the overflow', 30000);
    if (rescan) {
      await waitFor(() => text().includes('CREATE d/late/inner/g\n'), 'g, in the directory watched by the recovery', 30000);
      for (const line of ['CREATE,ISDIR d/late', 'CREATE,ISDIR d/late/inner', 'CREATE d/late/inner/f']) {
        assert.ok(text().includes(`${line}\n`), line);
      }
    } else {
      assert.ok(!text().includes('d/late/inner/g'), 'without the flag the directory stays unwatched');
    }
    assert.doesNotMatch(run.stderr(), /^\s+at /m);
    run.kill();
  }
});
