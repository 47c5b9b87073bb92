// What our inotifywait adds to inotify-tools, each behind its own flag (or, for the lossless recursion and
// the overflow warning, on by default with a flag to turn it off), and where it deliberately differs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { collapseRepeats, compareWithUpstream, lineSeen, symlinkSentinel } from './compare.mjs';
import { OURS, hasUpstream, makeTree, processIdle, runToEnd, start, tempDir, waitFor, watchCount } from './helpers.mjs';

const touch = (p) => fs.closeSync(fs.openSync(p, 'a'));

/** Starts ours in a fresh dir holding `tree`; resolves once watches are established (or `ready` watches). */
async function ours(t, args, { tree = { d: null }, ready = 'stderr', stdio } = {}) {
  const dir = tempDir(t);
  makeTree(dir, tree);
  const run = start(OURS, args, { cwd: dir, ...stdio });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  if (ready === 'stderr') await run.waitStderr('Watches established.', 30000);
  else if (typeof ready === 'number') await waitFor(() => watchCount(run.pid) >= ready, `${ready} watches`, 30000);
  return { dir, run, text: () => run.stdout().toString('latin1') };
}

const lines = (s) => s.split('\n').filter(Boolean);

describe('extensions', { concurrency: 4, timeout: 120000 }, () => {
  test('new directories: what was created before the watch is reported (default), self-reads are not', async (t) => {
    const { dir, run, text } = await ours(t, ['-m', '-r', '-e', 'create', 'd']);
    fs.mkdirSync(`${dir}/d/x/y/z`, { recursive: true });
    touch(`${dir}/d/x/y/z/q`);
    touch(`${dir}/d/x/f`);
    const expected = ['d/ CREATE,ISDIR x', 'd/x/ CREATE,ISDIR y', 'd/x/y/ CREATE,ISDIR z', 'd/x/y/z/ CREATE q', 'd/x/ CREATE f'];
    await waitFor(() => lines(text()).length >= expected.length, () => `five lines; got ${JSON.stringify(text())}`);
    await waitFor(() => processIdle(run.pid), 'ours to be idle');
    assert.deepEqual(lines(text()).sort(), [...expected].sort(), 'each entry exactly once');
    assert.equal(lines(text())[0], 'd/ CREATE,ISDIR x');
  });

  test('new directories, default mode: the same lines as 3.22 for A11 (our own reads of the new directory are not reported)', {
    skip: !hasUpstream && 'needs /usr/bin/inotifywait',
  }, async (t) => {
    // The parent's two ACCESS,ISDIR may or may not be merged by the kernel: repeats are collapsed.
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-r', 'd'],
      normalise: collapseRepeats,
      act: async (dir, run) => {
        fs.mkdirSync(`${dir}/d/sub`);
        await waitFor(() => watchCount(run.pid) === 2, 'the new directory to be watched');
        touch(`${dir}/d/sub/f`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('--include with -r still follows new directories (4.25 fix of inotify-tools #224); 3.22 loses them', { skip: !hasUpstream && 'needs /usr/bin/inotifywait' }, async (t) => {
    const run = await compareWithUpstream(t, {
      tree: { d: null },
      args: (dir, name) => [...(name === 'ours' ? ['--no-rescan'] : []), '-m', '-r', '-e', 'create', '--include', '\\.txt$', 'd'],
      act: async (dir, r) => {
        fs.mkdirSync(`${dir}/d/sub`);
        if (r.bin === OURS) await waitFor(() => watchCount(r.pid) === 2, 'the new directory to be watched');
        touch(`${dir}/d/sub/a.txt`);
        touch(`${dir}/d/sub/b.dat`);
        touch(`${dir}/d/c.txt`);
      },
      sentinel: lineSeen('d/ CREATE c.txt\n'), // the last event, printed by both
      compare: false,
    });
    assert.equal(run.ours.stdout.toString(), 'd/sub/ CREATE a.txt\nd/ CREATE c.txt\n');
    assert.equal(run.upstream.stdout.toString(), 'd/ CREATE c.txt\n');
  });

  test('a directory moved out of the tree: its nested watches go too (A85 printed stale paths)', async (t) => {
    const { dir, run, text } = await ours(t, ['-m', '-r', '-e', 'create', '-e', 'moved_from', '-e', 'move_self', 'd'], { tree: { 'd/sub/inner': null } });
    fs.renameSync(`${dir}/d/sub`, `${dir}/outside`);
    await waitFor(() => watchCount(run.pid) === 1, 'the moved directory and the one inside it to be unwatched');
    touch(`${dir}/outside/x`);
    touch(`${dir}/outside/inner/y`);
    touch(`${dir}/d/z`);
    await waitFor(() => text().includes('d/ CREATE z'), 'the sentinel');
    assert.equal(text(), 'd/ MOVED_FROM,ISDIR sub\nd/sub/ MOVE_SELF \nd/ CREATE z\n');
  });

  test('--json: one object per event; non-UTF-8 names losslessly in *_base64; cookies; RFC 3339 time with microseconds', async (t) => {
    const before = Date.now();
    const { dir, run } = await ours(t, ['-m', '-e', 'create', '-e', 'move', '--json', 'd']);
    const text = () => run.stdout().toString('utf8');
    touch(Buffer.from(`${dir}/d/\xff.bin`, 'latin1'));
    touch(`${dir}/d/café "q"\n`);
    fs.renameSync(`${dir}/d/café "q"\n`, `${dir}/d/b`);
    await waitFor(() => lines(text()).length === 4, () => `four objects; got ${text()}`);
    const [raw, utf8, from, to] = lines(text()).map((l) => JSON.parse(l));
    assert.equal(raw.watch, 'd/');
    assert.equal(Buffer.from(raw.name_base64, 'base64').toString('latin1'), '\xff.bin');
    assert.equal(raw.name, '\ufffd.bin');
    assert.equal(raw.path, 'd/\ufffd.bin');
    assert.equal(Buffer.from(raw.path_base64, 'base64').toString('latin1'), 'd/\xff.bin');
    assert.equal(raw.watch_base64, undefined, 'the watch path is UTF-8');
    assert.deepEqual(raw.events, ['create']);
    assert.equal(raw.is_dir, false);
    assert.equal(raw.cookie, 0);
    assert.match(raw.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(Date.parse(raw.time) >= before - 1000 && Date.parse(raw.time) <= Date.now() + 1000);
    assert.equal(utf8.name, 'café "q"\n');
    assert.equal(utf8.path, 'd/café "q"\n');
    assert.equal(utf8.name_base64, undefined);
    assert.deepEqual([from.events, to.events], [['moved_from'], ['moved_to']]);
    assert.ok(from.cookie > 0 && from.cookie === to.cookie);
  });

  test('--json marks entries found by reading a new directory as synthetic', async (t) => {
    const { dir, text } = await ours(t, ['-m', '-r', '-e', 'create', '--json', 'd']);
    fs.mkdirSync(`${dir}/d/a/b`, { recursive: true });
    await waitFor(() => lines(text()).length === 2, () => `two objects; got ${text()}`);
    const objects = lines(text()).map((l) => JSON.parse(l));
    assert.deepEqual(objects.map((o) => [o.watch, o.name, o.events, o.is_dir]), [['d/', 'a', ['create'], true], ['d/a/', 'b', ['create'], true]]);
    assert.equal(objects[0].synthetic, undefined);
  });

  test('--json conflicts with -c and --format', async () => {
    for (const args of [['--json', '-c', 'd'], ['--json', '--format', '%w', 'd']]) {
      const r = await runToEnd(OURS, args);
      assert.deepEqual([r.code, r.stderr], [1, '--json cannot be combined with -c or --format.\n']);
    }
  });

  test('--ready: a READY line on stdout once watches are established, before any event', async (t) => {
    const { dir, text } = await ours(t, ['-m', '-q', '-e', 'create', '--ready', 'd'], { ready: 'none' });
    await waitFor(() => text() === 'READY\n', () => `READY; got ${JSON.stringify(text())}`);
    touch(`${dir}/d/f`);
    await waitFor(() => text() === 'READY\nd/ CREATE f\n', () => `the event; got ${JSON.stringify(text())}`);
  });

  test('--ready=FD writes to that descriptor', async (t) => {
    const base = tempDir(t);
    fs.mkdirSync(`${base}/d/a`, { recursive: true });
    const { spawn } = await import('node:child_process');
    const child = spawn(OURS, ['-m', '-q', '-e', 'create', '--json', '--ready=3', '-r', 'd'], { cwd: base, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    t.after(() => child.exitCode === null && child.kill('SIGKILL'));
    let ready = '';
    let out = '';
    child.stdio[3].on('data', (d) => (ready += d));
    child.stdout.on('data', (d) => (out += d));
    await waitFor(() => ready.endsWith('\n'), 'the ready line on fd 3');
    assert.match(ready, /^\{"time":"[^"]+Z","ready":true,"watches":2\}\n$/);
    assert.equal(out, '');
    touch(`${base}/d/a/x`);
    await waitFor(() => out.includes('"name":"x"'), 'the event on stdout');
  });

  test('--ready with a bad descriptor value is an error', async () => {
    const r = await runToEnd(OURS, ['--ready=x', 'd']);
    assert.deepEqual([r.code, r.stderr], [1, "--ready: 'x' is not a file descriptor number.\n"]);
  });

  test('--exit-on-unwatched: -m ends (status 0) once the last watch is gone (inotify-tools #233, #241)', async (t) => {
    const { dir, run, text } = await ours(t, ['-m', '--exit-on-unwatched', 'd', 'e', 'f'], { tree: { d: null, 'e/sub': null, f: '' } });
    fs.rmdirSync(`${dir}/d`);
    await waitFor(() => watchCount(run.pid) === 2, 'd to be unwatched');
    assert.equal(run.exited(), false);
    fs.rmSync(`${dir}/e`, { recursive: true });
    fs.unlinkSync(`${dir}/f`);
    const r = await run.result();
    assert.equal(r.code, 0);
    assert.match(text(), /^d\/ DELETE_SELF \n/);
    assert.match(text(), /e\/ DELETE_SELF \n/);
    assert.match(text(), /f DELETE_SELF \n$/);
  });

  test('--exit-on-unwatched with -r: ends when the whole tree is gone, not before', async (t) => {
    const { dir, run } = await ours(t, ['-m', '-r', '-q', '-e', 'create', '--exit-on-unwatched', 'd'], { tree: { 'd/a/b': null }, ready: 3 });
    fs.rmdirSync(`${dir}/d/a/b`);
    await waitFor(() => watchCount(run.pid) === 2, 'd/a/b to be unwatched');
    assert.equal(run.exited(), false);
    fs.rmSync(`${dir}/d`, { recursive: true });
    assert.equal((await run.result()).code, 0);
  });

  test('several include/exclude rules, regex and glob, combined (inotify-tools #232)', async (t) => {
    const { dir, text } = await ours(t, [
      '-m', '-e', 'create', '--format', '%w%f',
      '--include-glob', '*.txt', '--include-regex', '\\.log$', '--includei-glob', '*.MD',
      '--exclude-glob', 'secret*', '--excludei-regex', 'TMP',
      'd',
    ]);
    for (const n of ['a.txt', 'b.log', 'c.md', 'D.Md', 'e.dat', 'secret.txt', 'x.tmp.txt', 'f.txt']) touch(`${dir}/d/${n}`);
    // Nothing else arrives: the kernel queues events in order, so once the sentinel's is printed every
    // event before it has been filtered.
    touch(`${dir}/d/sentinel.txt`);
    await waitFor(() => text().includes('d/sentinel.txt'), 'the sentinel');
    assert.equal(text(), 'd/a.txt\nd/b.log\nd/c.md\nd/D.Md\nd/f.txt\nd/sentinel.txt\n');
  });

  test('glob rules: a / anchors to the whole path, ** crosses directories, {a,b} and [..]', async (t) => {
    const { dir, text } = await ours(t, [
      '-m', '-r', '-e', 'create', '--format', '%w%f',
      '--exclude-glob', 'd/build/**', '--exclude-glob', '*.{o,a}', '--exclude-glob', 'tmp[0-9]',
      'd',
    ], { tree: { 'd/build/x': null, 'd/src/deep': null } });
    for (const p of ['build/out', 'build/x/y', 'src/main.c', 'src/main.o', 'src/lib.a', 'src/deep/tmp1', 'src/deep/tmpx', 'z']) touch(`${dir}/d/${p}`);
    touch(`${dir}/d/sentinel`); // printed after everything before it (one kernel queue, in order)
    await waitFor(() => text().includes('d/sentinel'), 'the sentinel');
    assert.equal(text(), 'd/src/main.c\nd/src/deep/tmpx\nd/z\nd/sentinel\n');
  });

  test('exclude rules prune directories from watching, at start-up and later', async (t) => {
    const { dir, run, text } = await ours(t, ['-m', '-r', '-e', 'create', '--exclude-glob', 'node_modules', '--excludei-regex', '/\\.GIT$', 'd'], {
      tree: { 'd/node_modules/pkg/lib': null, 'd/.git/objects': null, 'd/src': null },
    });
    assert.equal(watchCount(run.pid), 2, 'd/ and d/src/ only');
    fs.mkdirSync(`${dir}/d/src/node_modules/x`, { recursive: true });
    touch(`${dir}/d/src/node_modules/x/f`);
    touch(`${dir}/d/src/ok`);
    touch(`${dir}/d/sentinel`); // once it is printed, the events before it (node_modules' CREATE) were handled
    await waitFor(() => text().includes('d/ CREATE sentinel'), 'the sentinel');
    assert.equal(watchCount(run.pid), 2);
    assert.equal(text(), 'd/src/ CREATE ok\nd/ CREATE sentinel\n');
  });

  test('bad extension patterns are errors', async () => {
    const glob = await runToEnd(OURS, ['--exclude-glob', '{a', 'd']);
    assert.deepEqual([glob.code, glob.stderr], [1, "Error in `exclude' glob pattern: {a\n"]);
    const re = await runToEnd(OURS, ['--include-regex', '(', 'd']);
    assert.deepEqual([re.code, re.stderr], [1, "Error in `include' regular expression.\n"]);
  });

  test('new long options never make an old abbreviation ambiguous (--re is still --recursive)', async (t) => {
    const { dir, text } = await ours(t, ['--re', '--no-r', '--exi', '-m', '-q', '-e', 'create', '--ready', 'd'], { tree: { 'd/sub': null }, ready: 'none' });
    await waitFor(() => text() === 'READY\n', 'ready');
    // Only a recursive watch sees this; were --re taken as --ready, d/sub would be unwatched.
    touch(`${dir}/d/sub/f`);
    await waitFor(() => text() === 'READY\nd/sub/ CREATE f\n', 'the CREATE inside d/sub');
  });

});

// Thousands of files each: one at a time, so they neither starve nor slow the tests above.
describe('extensions under load', { concurrency: 1, timeout: 120000 }, () => {
  test('one write per batch, not one per event (from /proc/<pid>/io)', async (t) => {
    const { dir, run, text } = await ours(t, ['-m', '-e', 'create', 'd']);
    const syscw = () => Number(/^syscw: (\d+)/m.exec(fs.readFileSync(`/proc/${run.pid}/io`, 'latin1'))[1]);
    await waitFor(() => processIdle(run.pid), 'ours to be idle');
    process.kill(run.pid, 'SIGSTOP');
    const before = syscw();
    for (let i = 0; i < 2000; i++) touch(`${dir}/d/f${i}`);
    process.kill(run.pid, 'SIGCONT');
    await waitFor(() => lines(text()).length === 2000, () => `2000 lines; got ${lines(text()).length}`);
    const writes = syscw() - before;
    assert.ok(writes < 40, `${writes} write syscalls for 2000 events`);
  });

  test('a reader that stops reading: reading pauses (memory stays flat), nothing is lost that the kernel kept', async (t) => {
    const { dir, run, text } = await ours(t, ['-m', '-e', 'create', '--format', '%f', 'd']);
    run.child.stdout.pause();
    const rss = () => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${run.pid}/status`, 'latin1'))[1]);
    // -m starts the reader thread right after `Watches established.` (~10 MB): the baseline includes it, so
    // it is taken once the process is asleep with a thread count that has held for 300 ms.
    let tasks = -1;
    let steadySince = Date.now();
    await waitFor(async () => {
      const n = fs.readdirSync(`/proc/${run.pid}/task`).length;
      if (n !== tasks) [tasks, steadySince] = [n, Date.now()];
      return Date.now() - steadySince >= 300 && (await processIdle(run.pid));
    }, 'ours to be idle with its reader thread started');
    const baseline = rss();
    // Enough output to fill the pipe many times over, but less than the kernel queue holds.
    const n = Math.min(12000, Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'latin1')) - 100);
    const long = 'x'.repeat(200);
    for (let i = 0; i < n; i++) touch(`${dir}/d/${long}${i}`);
    await waitFor(() => processIdle(run.pid), 'ours to block on the full pipe');
    assert.ok(rss() - baseline < 20000, `RSS grew by ${rss() - baseline} kB`);
    run.child.stdout.resume();
    await waitFor(() => lines(text()).length === n, () => `${n} lines; got ${lines(text()).length}`, 30000);
    assert.equal(run.stderr(), 'Setting up watches.\nWatches established.\n');
  });

  test('overflow: one warning line per overflow, --no-overflow-warning silences it', async (t) => {
    const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'latin1'));
    if (limit > 70000) return t.skip(`max_queued_events is ${limit}: too many files to create`);
    for (const quiet of [false, true]) {
      const { dir, run, text } = await ours(t, ['-m', '-q', '--format', '%f', '-e', 'create', ...(quiet ? ['--no-overflow-warning'] : []), 'd'], { ready: 1 });
      process.kill(run.pid, 'SIGSTOP');
      for (let i = 0; i <= limit; i++) fs.mkdirSync(`${dir}/d/${i}`);
      process.kill(run.pid, 'SIGCONT');
      // The queue holds `limit` events, then the overflow record; once they are out there is room again.
      await waitFor(() => lines(text()).length >= limit, 'the queued events', 30000);
      await waitFor(() => processIdle(run.pid), 'ours to be idle');
      touch(`${dir}/d/after`);
      await waitFor(() => text().endsWith('after\n'), 'the event after the overflow', 30000);
      // A concurrent process (the bench) may have raised the limit while this instance was created.
      if (lines(text()).length > limit + 1) return t.skip('fs.inotify.max_queued_events was raised by another process meanwhile');
      assert.equal(lines(text()).length, limit + 1, 'the queued events, then "after"');
      if (quiet) assert.equal(run.stderr(), '');
      else {
        assert.equal(
          run.stderr(),
          `inotifywait: warning: the kernel event queue overflowed and an unknown number of events were lost; raise fs.inotify.max_queued_events (${limit} when this watcher started), e.g. sysctl fs.inotify.max_queued_events=${limit * 4}\n`,
        );
      }
      run.kill();
    }
  });
});
