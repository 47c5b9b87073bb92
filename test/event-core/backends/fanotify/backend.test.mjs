// The fanotify backend through the engine, against the real kernel: every event kind, names as bytes,
// trees without per-directory marks, renames with both names, overflow, and who caused each event.
// Changes are made by child processes: events this process causes are dropped by design.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import {
  IN_ALL_EVENTS, IN_CREATE, IN_DELETE_SELF, IN_IGNORED, IN_ISDIR, IN_MOVED_FROM, IN_MOVED_TO, IN_Q_OVERFLOW, Watcher,
  loadBackend, renderMask,
} from '@inotifykit/event-core';
import { isRoot, tempDir, waitFor } from '../../../lib/cli.mjs';
import { EXIT_BOUND_MS, assertExitsWithin } from '../../util.mjs';

const needRoot = !isRoot && 'fanotify marks and file handles need root (CAP_SYS_ADMIN); run the tests as root';

/** A watcher on `paths` with the fanotify backend, collecting events; closed after the test. */
async function watch(t, paths, options = {}) {
  const watcher = new Watcher({ mask: IN_ALL_EVENTS, backend: await loadBackend('fanotify'), ...options });
  for (const p of paths) watcher.add(p);
  const events = [];
  watcher.start({ batch: options.batch ?? ((evs) => void events.push(...evs)) });
  t.after(() => watcher.close());
  return { watcher, events };
}

/** Runs a shell script in `cwd` in a child process (so its events are not ours) and waits for it. */
function sh(cwd, script) {
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'latin1' });
  assert.equal(r.status, 0, `sh -c ${script}: ${r.stderr}`);
}

const line = (e) => `${e.watchPath}|${renderMask(e.mask)}|${e.name}`;
const has = (events, watchPath, bit, name) => events.some((e) => e.watchPath === watchPath && e.mask & bit && e.name === name);

test('every event kind on a directory and on a file, as inotify names them', { skip: needRoot }, async (t) => {
  const dir = tempDir(t, 'ik-fan-');
  fs.writeFileSync(`${dir}/watched`, 'x');
  const d = `${dir}/d`;
  fs.mkdirSync(d);
  fs.writeFileSync(`${d}/old`, 'x');
  const { events } = await watch(t, [d, `${dir}/watched`]);
  sh(dir, 'echo hi > d/f && cat d/f > /dev/null && chmod 600 d/f && mv d/f d/g && rm d/g && mkdir d/sub && ' +
    'mv d/old ../moved-out-$$ ; rm -f ../moved-out-$$; echo >> watched; mv watched watched2; rm watched2');
  await waitFor(() => events.some((e) => e.mask & IN_IGNORED && e.watchPath === `${dir}/watched`), () => `IGNORED; got ${events.map(line).join('\n')}`);
  const w = `${d}/`;
  for (const [bit, name] of [
    [IN_CREATE, 'f'], [0x2 /* MODIFY */, 'f'], [0x20 /* OPEN */, 'f'], [0x8 /* CLOSE_WRITE */, 'f'], [0x1 /* ACCESS */, 'f'],
    [0x10 /* CLOSE_NOWRITE */, 'f'], [0x4 /* ATTRIB */, 'f'], [IN_MOVED_FROM, 'f'], [IN_MOVED_TO, 'g'], [0x200 /* DELETE */, 'g'],
    [IN_CREATE | IN_ISDIR, 'sub'], [IN_MOVED_FROM, 'old'],
  ]) {
    assert.ok(events.some((e) => e.watchPath === w && (e.mask & bit) === bit && e.name === name), `${renderMask(bit)} ${name}; got ${events.map(line).join('\n')}`);
  }
  const file = `${dir}/watched`;
  for (const bit of [0x2 /* MODIFY */, 0x800 /* MOVE_SELF */, IN_DELETE_SELF, IN_IGNORED]) {
    assert.ok(has(events, file, bit, ''), `${renderMask(bit)} on the watched file; got ${events.map(line).join('\n')}`);
  }
  // A rename's halves share a cookie; nothing else has one.
  const from = events.find((e) => e.mask & IN_MOVED_FROM && e.name === 'f');
  const to = events.find((e) => e.mask & IN_MOVED_TO && e.name === 'g');
  assert.ok(from.cookie !== 0 && from.cookie === to.cookie);
  assert.equal(events.find((e) => e.mask & IN_CREATE).cookie, 0);
});

test('names are bytes: a name that is not UTF-8 comes through exactly', { skip: needRoot }, async (t) => {
  const dir = tempDir(t, 'ik-fan-');
  for (const recursive of [false, true]) {
    const { events } = await watch(t, [dir], { recursive });
    const name = `n\xff\xfe-${recursive}\x01`;
    // Node would turn a string argv into UTF-8: the exact bytes come from the shell's printf.
    sh(dir, `touch "$(printf 'n\\377\\376-${recursive}\\001')"`);
    await waitFor(() => has(events, `${dir}/`, IN_CREATE, name), () => `CREATE of the raw name; got ${JSON.stringify(events.map(line))}`);
  }
});

test('-r: one filesystem mark, a mkdir -p chain of depth 5 with files written at once, all reported', { skip: needRoot }, async (t) => {
  const dir = tempDir(t, 'ik-fan-');
  const { watcher, events } = await watch(t, [dir], { recursive: true });
  assert.equal(watcher.watchCount, 1); // no per-directory watch
  sh(dir, 'mkdir -p a/b/c/d/e && for p in a a/b a/b/c a/b/c/d a/b/c/d/e; do echo x > $p/f; done && rm -r a');
  const dirs = ['', 'a/', 'a/b/', 'a/b/c/', 'a/b/c/d/', 'a/b/c/d/e/'];
  await waitFor(() => has(events, `${dir}/`, 0x200, 'a'), () => `DELETE a; got ${events.map(line).join('\n')}`);
  for (const [i, sub] of dirs.slice(1).entries()) {
    // Each directory's own CREATE in its parent, and the file written in it at once.
    const parent = `${dir}/${dirs[i]}`;
    assert.ok(has(events, parent, IN_CREATE | IN_ISDIR, sub.split('/').at(-2)), `CREATE ${sub}; got ${events.map(line).join('\n')}`);
    assert.ok(has(events, `${dir}/${sub}`, IN_CREATE, 'f'), `CREATE ${sub}f; got ${events.map(line).join('\n')}`);
    assert.ok(has(events, `${dir}/${sub}`, 0x8 /* CLOSE_WRITE */, 'f'), `CLOSE_WRITE ${sub}f`);
  }
});

test('-r: a rename inside the tree has both names; a move out only its first; a moved directory keeps reporting', { skip: needRoot }, async (t) => {
  const base = tempDir(t, 'ik-fan-');
  const dir = `${base}/tree`;
  fs.mkdirSync(`${dir}/x/deep`, { recursive: true });
  fs.mkdirSync(`${dir}/y`);
  const { events } = await watch(t, [dir], { recursive: true });
  sh(dir, 'touch x/deep/f && mv x/deep/f y/g && mv y/g ../out');
  // Paths are resolved as events are read: the directory rename waits until these are.
  await waitFor(() => events.some((e) => e.mask & IN_MOVED_FROM && e.name === 'g'), () => `MOVED_FROM g; got ${events.map(line).join('\n')}`);
  sh(dir, 'mv x x2 && touch x2/deep/h && touch ../sentinel && mv ../sentinel .');
  await waitFor(() => has(events, `${dir}/`, IN_MOVED_TO, 'sentinel'), () => `sentinel; got ${events.map(line).join('\n')}`);
  const from = events.find((e) => e.mask & IN_MOVED_FROM && e.name === 'f');
  const to = events.find((e) => e.mask & IN_MOVED_TO && e.name === 'g');
  assert.equal(from.watchPath, `${dir}/x/deep/`);
  assert.equal(to.watchPath, `${dir}/y/`);
  assert.ok(from.cookie !== 0 && from.cookie === to.cookie);
  const out = events.filter((e) => e.mask & (IN_MOVED_FROM | IN_MOVED_TO) && (e.name === 'g' || e.name === 'out'));
  assert.deepEqual(out.map(line), [`${dir}/y/|MOVED_TO|g`, `${dir}/y/|MOVED_FROM|g`]);
  assert.ok(has(events, `${dir}/`, IN_MOVED_FROM | IN_ISDIR, 'x') && has(events, `${dir}/`, IN_MOVED_TO | IN_ISDIR, 'x2'));
  assert.ok(has(events, `${dir}/x2/deep/`, IN_CREATE, 'h'), `events in the moved directory under its new name; got ${events.map(line).join('\n')}`);
  // Moved in from outside: MOVED_TO alone.
  assert.equal(events.find((e) => e.name === 'sentinel').cookie !== 0, true);
});

test('-r: what happens outside the tree, on the same file system, is not reported', { skip: needRoot }, async (t) => {
  const base = tempDir(t, 'ik-fan-');
  fs.mkdirSync(`${base}/in`);
  fs.mkdirSync(`${base}/inside-not`);
  const { events } = await watch(t, [`${base}/in`], { recursive: true });
  sh(base, 'touch inside-not/a ./b && touch in/c');
  await waitFor(() => events.some((e) => e.name === 'c'), 'CREATE c');
  assert.deepEqual(events.filter((e) => !e.watchPath.startsWith(`${base}/in/`)), []);
});

test('the pid, comm and uid of a known writer; our own events are dropped', { skip: needRoot }, async (t) => {
  const dir = tempDir(t, 'ik-fan-');
  const { events } = await watch(t, [dir]);
  fs.writeFileSync(`${dir}/mine`, 'ours'); // this process: never reported
  // A writer that stays alive until told, so /proc still has its name when the event is read.
  const writer = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(`${dir}/theirs`)}, 'x'); process.stdin.resume()`], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  t.after(() => writer.kill());
  await waitFor(() => events.some((e) => e.name === 'theirs' && e.mask & 0x8), 'CLOSE_WRITE theirs');
  const e = events.find((x) => x.name === 'theirs');
  assert.equal(e.pid, writer.pid);
  assert.equal(e.comm, fs.readFileSync(`/proc/${writer.pid}/comm`, 'latin1').trim());
  assert.equal(e.uid, 0);
  assert.deepEqual(events.filter((x) => x.name === 'mine'), []);
});

test('a queue overflow is reported as IN_Q_OVERFLOW', { skip: needRoot }, async (t) => {
  const dir = tempDir(t, 'ik-fan-');
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const events = [];
  // The first batch is held: reading pauses, and the kernel queue (16384 events) fills up behind it.
  await watch(t, [dir], {
    mask: IN_CREATE,
    batch: (evs) => {
      events.push(...evs);
      return gate;
    },
  });
  sh(dir, 'touch first');
  await waitFor(() => events.length > 0, 'the first event');
  const limit = Number(fs.readFileSync('/proc/sys/fs/fanotify/max_queued_events', 'latin1'));
  sh(dir, `i=0; while [ $i -lt ${limit + 500} ]; do : > f$i; i=$((i+1)); done`);
  release();
  await waitFor(() => events.some((e) => e.mask & IN_Q_OVERFLOW), 'Q_OVERFLOW', 20000);
  assert.equal(events.find((e) => e.mask & IN_Q_OVERFLOW).wd, -1);
});

/** A child that watches `dir` with the fanotify backend and ends it by close() or process.exit() (see exitDelay). */
const EXIT_SCRIPT = `
import { Watcher, IN_ALL_EVENTS, loadBackend } from '@inotifykit/event-core';
const [dir, how] = process.argv.slice(1);
const backend = await loadBackend('fanotify');
const watcher = new Watcher({ mask: IN_ALL_EVENTS, backend });
watcher.add(dir);
watcher.start({ batch() {} });
setTimeout(() => {
  process.stdout.write(backend.mainWait + ' closing at ' + (performance.timeOrigin + performance.now()) + '\\n');
  if (how === 'exit') process.exit(0);
  void watcher.close(); // nothing else keeps the loop alive: the process must end by itself
}, 50);
`;

for (const wait of ['loop', 'poll']) {
  const how = wait === 'loop' ? 'in its own event loop (the default)' : "through a helper thread's poll() (INOTIFYKIT_MAIN_WAIT=poll)";
  test(`the main thread waits for the fd ${how}: events in order; close() and process.exit() end the process promptly`, { skip: needRoot }, async (t) => {
    const dir = tempDir(t, 'ik-fan-');
    const saved = process.env.INOTIFYKIT_MAIN_WAIT;
    if (wait === 'poll') process.env.INOTIFYKIT_MAIN_WAIT = 'poll';
    else delete process.env.INOTIFYKIT_MAIN_WAIT;
    const backend = await loadBackend('fanotify');
    let events;
    try {
      ({ events } = await watch(t, [dir], { backend, mask: 0x8 /* CLOSE_WRITE */ }));
    } finally {
      if (saved === undefined) delete process.env.INOTIFYKIT_MAIN_WAIT;
      else process.env.INOTIFYKIT_MAIN_WAIT = saved;
    }
    assert.equal(backend.mainWait, wait);
    for (let round = 0; round < 3; round++) {
      sh(dir, `echo a > one${round} && echo b > two${round}`);
      await waitFor(() => events.length === 2 * (round + 1), () => `two CLOSE_WRITEs; got ${events.map(line).join('\n')}`);
    }
    assert.deepEqual(events.map((e) => e.name), ['one0', 'two0', 'one1', 'two1', 'one2', 'two2']);
    for (const end of ['close', 'exit']) {
      await assertExitsWithin(EXIT_BOUND_MS, async () => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', EXIT_SCRIPT, dir, end], {
          cwd: new URL('../../../..', import.meta.url),
          env: { ...process.env, INOTIFYKIT_MAIN_WAIT: wait === 'poll' ? 'poll' : '' },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        // A hang shows as a failure, not a stuck run; the bound is generous: start-up on a loaded machine is slow.
        const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
        const code = await new Promise((resolve) => child.on('exit', resolve));
        const exitedAt = performance.timeOrigin + performance.now();
        clearTimeout(killer);
        assert.equal(code, 0, `${end}: the process did not end by itself: ${out}`);
        const [, mainWait, closedAt] = /^(\w+) closing at (\S+)/.exec(out) ?? [];
        assert.equal(mainWait, wait, out);
        return exitedAt - Number(closedAt);
      });
    }
  });
}
