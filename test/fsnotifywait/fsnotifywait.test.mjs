// fsnotifywait and fsnotifywatch (inotifywait's and inotifywatch's code under their fanotify names) as
// child processes: against the installed inotify-tools 3.22.6 where it is right, and where it is not
// (see docs/compatibility.md), what a user expects. As root; the capability error as uid 65534.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { binPath, isRoot, startTool, tempDir, waitFor } from '../lib/cli.mjs';

const OURS = binPath('fsnotifywait');
const OURS_WATCH = binPath('fsnotifywatch');
const UPSTREAM = '/usr/bin/fsnotifywait';
const needRoot = !isRoot && 'fanotify needs root (CAP_SYS_ADMIN); run the tests as root';
const needUpstream = needRoot || (!fs.existsSync(UPSTREAM) && `needs ${UPSTREAM} (apt install inotify-tools)`);
const ESTABLISHED = 'Watches established.\n';

const run = (bin, args, options = {}) => startTool(bin, args, { argv0: bin === UPSTREAM ? 'fsnotifywait' : undefined, stderrEncoding: 'latin1', ...options });
const sh = (cwd, script) => {
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'latin1' });
  assert.equal(r.status, 0, r.stderr);
};
/** 3.22's debug lines (`[fid=…;name='…'] path`) go to stdout: not part of its output proper. */
const withoutFidLines = (text) => text.replace(/^\[fid=[^\n]*\n/gm, '');

/**
 * One scenario for both tools, each in a directory of its own (`DIR` stands for it in the output):
 * start with `args(dir)`, wait for the set-up lines, `act(dir)` in a shell, collect until exit.
 */
async function both(t, { args, act, tree = ['d'], quiet = false, timeoutMs = 15000, normalise = (s) => s }) {
  const results = {};
  for (const [name, bin] of [['ours', OURS], ['upstream', UPSTREAM]]) {
    const dir = tempDir(t, `ik-fsw-${name}-`);
    for (const sub of tree) fs.mkdirSync(`${dir}/${sub}`, { recursive: true });
    const tool = run(bin, args(dir), { cwd: dir });
    t.after(() => tool.exited() || tool.kill('SIGKILL'));
    if (!quiet) await tool.waitStderr(ESTABLISHED);
    else await new Promise((r) => setTimeout(r, 0));
    if (act) sh(dir, act);
    const r = await tool.result(timeoutMs);
    const norm = (s) => s.split(dir).join('DIR');
    results[name] = { code: r.code, stdout: normalise(norm(withoutFidLines(r.stdout.toString('latin1')))), stderr: norm(r.stderr) };
  }
  assert.deepEqual(results.ours, results.upstream);
  return results.ours;
}

describe('compared with fsnotifywait 3.22.6 (absolute paths, where it is right)', { skip: needUpstream, concurrency: 1 }, () => {
  test('one CREATE, then exit 0 (C01 shape)', async (t) => {
    const r = await both(t, { args: (dir) => ['-e', 'create', `${dir}/d`], act: 'touch d/f' });
    assert.equal(r.stdout, 'DIR/d/ CREATE f\n');
  });

  test('-c: CSV quoting (C03), with the watch path quoted only when it needs it (as inotifywait does)', async (t) => {
    const r = await both(t, {
      args: (dir) => ['-c', '-e', 'create', `${dir}/d`],
      act: "touch 'd/a,b'",
      // 3.22's fsnotifywait quotes every fanotify %w; both parse the same.
      normalise: (s) => s.replace(/^"(DIR[^",]*)",/gm, '$1,'),
    });
    assert.equal(r.stdout, 'DIR/d/,CREATE,"a,b"\n');
  });

  test('--format with %w %f %e', async (t) => {
    await both(t, { args: (dir) => ['--format', '%e|%f|%w', '-e', 'create', `${dir}/d`], act: 'mkdir d/sub' });
  });

  test('-t 1 with nothing happening: exit 2', async (t) => {
    const r = await both(t, { args: (dir) => ['-q', '-t', '1', '-e', 'create', `${dir}/d`], quiet: true });
    assert.equal(r.code, 2);
  });

  test('a missing path, a bad option, a bad event: the same lines and exit 1', async (t) => {
    for (const args of [['nonexist'], ['-x', 'd'], ['-e', 'bogus', 'd'], ['-c', '--format', '%w', 'd']]) {
      const r = await both(t, { args: () => args, quiet: true });
      assert.equal(r.code, 1, args.join(' '));
    }
  });

  test('--help: its own name and the -I/-F/-S lines, plus our extensions in one block; exit 1 (fsnotifywatch likewise)', () => {
    for (const [ours, theirs] of [[OURS, UPSTREAM], [OURS_WATCH, '/usr/bin/fsnotifywatch']]) {
      const mine = spawnSync(ours, ['--help'], { encoding: 'latin1' });
      assert.equal(mine.status, 1);
      // fsnotifywatch's first line adds "(inotifykit VERSION)", as inotifywatch's does.
      const lines = mine.stdout.replace(/^(\S+ 3\.22\.6\.0) \(inotifykit [^)]*\)/, '$1').split('\n');
      const upstream = spawnSync(theirs, ['--help'], { encoding: 'latin1' }).stdout.split('\n');
      // Upstream's lines are ours with one block (the extensions) left out.
      let head = 0;
      while (head < upstream.length && lines[head] === upstream[head]) head++;
      const tail = upstream.length - head;
      assert.deepEqual(lines.slice(lines.length - tail), upstream.slice(head), ours);
      assert.ok(head > 30, `${ours}: only ${head} lines as upstream's`);
    }
    assert.match(spawnSync(OURS, ['--version'], { encoding: 'latin1' }).stdout, /^fsnotifywait \(inotifykit\) /);
  });
});

describe('fsnotifywait where 3.22 is wrong (docs/compatibility.md)', { skip: needRoot }, () => {
  test('relative paths and -r work; no debug lines on stdout; new subdirectories are covered at once', async (t) => {
    const dir = tempDir(t, 'ik-fsw-');
    fs.mkdirSync(`${dir}/d/a/b`, { recursive: true });
    const tool = run(OURS, ['-m', '-r', '-e', 'create', 'd'], { cwd: dir });
    t.after(() => tool.exited() || tool.kill('SIGKILL'));
    await tool.waitStderr('Watches established.');
    sh(dir, 'touch d/a/b/x && mkdir -p d/a/c/e && touch d/a/c/e/y && rm -r d/a/c && mkdir d/a/c && touch d/a/c/z');
    await tool.waitStdout('d/a/c/ CREATE z\n');
    tool.kill();
    const out = (await tool.result(10000)).stdout.toString('latin1');
    assert.equal(out, [
      'd/a/b/ CREATE x', 'd/a/ CREATE,ISDIR c', 'd/a/c/ CREATE,ISDIR e', 'd/a/c/e/ CREATE y', 'd/a/ CREATE,ISDIR c', 'd/a/c/ CREATE z', '',
    ].join('\n'));
  });

  test('a queue overflow: the warning names fanotify\'s sysctl, and the events after it are printed', async (t) => {
    const limit = Number(fs.readFileSync('/proc/sys/fs/fanotify/max_queued_events', 'latin1'));
    if (limit > 70000) return t.skip(`fs.fanotify.max_queued_events is ${limit}: too many files to create`);
    const dir = tempDir(t, 'ik-fsw-');
    fs.mkdirSync(`${dir}/d`);
    const tool = run(OURS, ['-m', '-q', '--format', '%f', '-e', 'create', 'd'], { cwd: dir });
    t.after(() => tool.exited() || tool.kill('SIGKILL'));
    // -q prints nothing when ready: the first file seen is the sign.
    let n = 0;
    await waitFor(() => (fs.writeFileSync(`${dir}/d/first${n++}`, ''), tool.stdout().length > 0), 'the first event');
    process.kill(tool.pid, 'SIGSTOP');
    sh(dir, `i=0; while [ $i -le ${limit} ]; do : > d/f$i; i=$((i+1)); done`);
    process.kill(tool.pid, 'SIGCONT');
    await tool.waitStderr('overflowed', 30000);
    fs.writeFileSync(`${dir}/d/after`, '');
    await tool.waitStdout('after\n', 30000);
    assert.equal(
      tool.stderr(),
      `inotifywait: warning: the kernel event queue overflowed and an unknown number of events were lost; raise fs.fanotify.max_queued_events (${limit} when this watcher started), e.g. sysctl fs.fanotify.max_queued_events=${limit * 4}\n`,
    );
  });

  test('-t -1: "Negative timeout specified - abort!" after the set-up lines, exit 1 (4.x, the support probe)', async (t) => {
    const dir = tempDir(t, 'ik-fsw-');
    const wait = await run(OURS, ['--fanotify', '-t', '-1', '.'], { cwd: dir }).result(10000);
    assert.deepEqual([wait.code, wait.stderr], [1, 'Setting up watches.\nWatches established.\nNegative timeout specified - abort!\n']);
    const watch = await run(OURS_WATCH, ['-t', '-1', '.'], { cwd: dir }).result(10000);
    assert.equal(watch.code, 1);
    assert.match(watch.stderr, /Finished establishing watches, now collecting statistics\.\nNegative timeout specified - abort!\n$/);
  });

  test('-S DIR: what happens under DIR on its file system (a tmpfs the test mounts), -S on the mount point: all of it', async (t) => {
    // Cleaned up here, in order: the tools (they hold a descriptor on the tmpfs), the mount, the directory.
    const dir = fs.mkdtempSync(`${os.tmpdir()}/ik-fsw-`);
    const tools = [];
    t.after(async () => {
      for (const r of tools) if (!r.exited()) r.kill('SIGKILL');
      await Promise.all(tools.map((r) => r.waitExit()));
      spawnSync('umount', [`${dir}/mnt`]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    fs.mkdirSync(`${dir}/mnt`);
    const mount = spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', `${dir}/mnt`], { encoding: 'utf8' });
    if (mount.status !== 0) return t.skip(`cannot mount a tmpfs here: ${mount.stderr.trim()}`);
    fs.mkdirSync(`${dir}/mnt/in/deep`, { recursive: true });
    fs.mkdirSync(`${dir}/mnt/out`);
    const scoped = run(OURS, ['-S', '-m', '-e', 'create', 'mnt/in'], { cwd: dir });
    const whole = run(OURS, ['-S', '-m', '-e', 'create', 'mnt'], { cwd: dir });
    tools.push(scoped, whole);
    await scoped.waitStderr('Setting up filesystem watches.\nWatches established.\n');
    await whole.waitStderr(ESTABLISHED);
    sh(dir, 'touch mnt/out/x mnt/in/deep/y mnt/in/z');
    await scoped.waitStdout('mnt/in/ CREATE z\n');
    await whole.waitStdout('mnt/in/ CREATE z\n');
    scoped.kill();
    whole.kill();
    assert.equal((await scoped.result(10000)).stdout.toString(), 'mnt/in/deep/ CREATE y\nmnt/in/ CREATE z\n');
    assert.equal((await whole.result(10000)).stdout.toString(), 'mnt/out/ CREATE x\nmnt/in/deep/ CREATE y\nmnt/in/ CREATE z\n');
  });
});

describe('who did it: %P %C %U, --json, fsnotifywatch --by-process', { skip: needRoot }, () => {
  /** A process that writes `file` and then stays alive (its name is in /proc when the event is read). */
  function writer(t, file) {
    const child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(file)}, 'x'); process.stdin.resume()`], { stdio: ['pipe', 'ignore', 'inherit'] });
    t.after(() => child.kill());
    return child;
  }

  test('--format %P %C %U and --json name the writer', async (t) => {
    const dir = tempDir(t, 'ik-fsw-');
    fs.mkdirSync(`${dir}/d`);
    const fmt = run(OURS, ['-e', 'close_write', '--format', '%f %P %C %U', 'd'], { cwd: dir });
    const json = run(OURS, ['-e', 'close_write', '--json', 'd'], { cwd: dir });
    await fmt.waitStderr(ESTABLISHED);
    await json.waitStderr(ESTABLISHED);
    const child = writer(t, `${dir}/d/f`);
    const comm = 'node';
    assert.equal((await fmt.result(10000)).stdout.toString(), `f ${child.pid} ${comm} 0\n`);
    const record = JSON.parse((await json.result(10000)).stdout.toString());
    assert.deepEqual([record.name, record.pid, record.comm, record.uid], ['f', child.pid, comm, 0]);
  });

  test('inotifywait -F is fanotify too (4.25): the same conversions work there', async (t) => {
    const dir = tempDir(t, 'ik-fsw-');
    fs.mkdirSync(`${dir}/d`);
    const tool = run(binPath('inotifywait'), ['-F', '-e', 'close_write', '--format', '%P', 'd'], { cwd: dir });
    await tool.waitStderr(ESTABLISHED);
    const child = writer(t, `${dir}/d/f`);
    assert.equal((await tool.result(10000)).stdout.toString(), `${child.pid}\n`);
    // Without fanotify %P is the literal it always was.
    const plain = run(binPath('inotifywait'), ['-e', 'create', '--format', '%P', 'd'], { cwd: dir });
    await plain.waitStderr(ESTABLISHED);
    sh(dir, 'touch d/g');
    assert.equal((await plain.result(10000)).stdout.toString(), '%P\n');
  });

  test('fsnotifywatch --by-process counts per program; -r a row per directory', async (t) => {
    const dir = tempDir(t, 'ik-fsw-');
    fs.mkdirSync(`${dir}/d/sub`, { recursive: true });
    const byProc = run(OURS_WATCH, ['--by-process', '-e', 'create', 'd'], { cwd: dir });
    const perDir = run(OURS_WATCH, ['-r', '-e', 'create', 'd'], { cwd: dir });
    await byProc.waitStderr('now collecting statistics.');
    await perDir.waitStderr('now collecting statistics.');
    const child = spawn(process.execPath, ['-e', `const fs = require('fs'); for (const n of ['a', 'b', 'sub/c']) fs.writeFileSync(${JSON.stringify(dir)} + '/d/' + n, ''); process.stdin.resume()`], { stdio: ['pipe', 'ignore', 'inherit'] });
    t.after(() => child.kill());
    await waitFor(() => fs.existsSync(`${dir}/d/sub/c`), 'the writer');
    byProc.kill('SIGINT');
    perDir.kill('SIGINT');
    assert.equal((await byProc.result(10000)).stdout.toString(), 'total  create  process\n2      2       node\n');
    assert.equal((await perDir.result(10000)).stdout.toString(), 'total  create  filename\n2      2       d/\n1      1       d/sub/\n');
  });
});

describe('without CAP_SYS_ADMIN', { skip: needRoot }, () => {
  test('one line naming the capability, exit 1', async (t) => {
    const dir = tempDir(t, 'ik-fsw-');
    fs.chmodSync(dir, 0o755);
    const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
    if (probe.status !== 0) return t.skip('no setpriv, or it cannot drop to uid 65534');
    for (const [bin, args] of [[OURS, [dir]], [OURS_WATCH, [dir]], [binPath('inotifywait'), ['-S', dir]]]) {
      const r = await startTool('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', bin, ...args]).result(10000);
      assert.equal(r.code, 1, `${bin}: ${r.stderr}`);
      assert.equal(r.stdout.length, 0);
      assert.match(r.stderr, /^Couldn't initialize fanotify: Operation not permitted \(fanotify needs CAP_SYS_ADMIN[^\n]*\)\n$/);
    }
  });
});
