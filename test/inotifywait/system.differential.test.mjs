// Our inotifywait against the real one where the system is involved: the daemon, pipes closing, signals,
// permissions, the kernel's limits (in a user namespace), unmounts (in a mount namespace), queue overflow.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { compareWithUpstream, lineSeen } from './compare.mjs';
import { OURS, UPSTREAM, isRoot, needUpstream, runToEnd, start, tempDir, waitFor, watchCount } from './helpers.mjs';

const touch = (p) => fs.closeSync(fs.openSync(p, 'a'));
const tools = { ours: OURS, upstream: UPSTREAM };
const hasCommand = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Processes whose stdout (fd 1) is `file`: how a daemon is found (and stopped, by its pid). */
function writersOf(file) {
  const pids = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/1`) === file) pids.push(Number(pid));
    } catch {
      // not ours to read, or gone
    }
  }
  return pids;
}

function stopDaemons(t, file) {
  t.after(() => writersOf(file).forEach((pid) => process.kill(pid, 'SIGKILL')));
}

describe('daemon, pipes, signals, limits: compared with inotify-tools 3.22.6', { skip: needUpstream, concurrency: 3, timeout: 120000 }, () => {
  test('-d: the parent returns 0 at once; the child logs events, cwd /, new session (A39)', async (t) => {
    const base = tempDir(t);
    const results = {};
    for (const [name, bin] of Object.entries(tools)) {
      const dir = path.join(base, name);
      fs.mkdirSync(`${dir}/d`, { recursive: true });
      fs.writeFileSync(`${dir}/ev.log`, '');
      stopDaemons(t, `${dir}/ev.log`);
      const parent = await runToEnd(bin, ['-d', '-o', 'ev.log', '-e', 'create', `${dir}/d`], { cwd: dir });
      const [pid] = await waitFor(() => writersOf(`${dir}/ev.log`).length > 0 && writersOf(`${dir}/ev.log`), `the ${name} daemon`);
      // The daemon sets up its watches after the parent returned: create files until one is logged.
      let n = 0;
      await waitFor(() => {
        touch(`${dir}/d/f${n++}`);
        return fs.readFileSync(`${dir}/ev.log`, 'latin1') !== '';
      }, `an event in the ${name} log`);
      const status = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '').split(' ');
      results[name] = {
        parent,
        firstLine: fs.readFileSync(`${dir}/ev.log`, 'latin1').split('\n')[0].replace(dir, '<dir>').replace(/f\d+$/, 'fN'),
        cwd: fs.readlinkSync(`/proc/${pid}/cwd`),
        ppid: /^PPid:\s*(\d+)/m.exec(status)[1],
        sessionLeader: stat[3] === String(pid) || stat[2] === String(pid),
        stdin: fs.readlinkSync(`/proc/${pid}/fd/0`),
        stderr: fs.readlinkSync(`/proc/${pid}/fd/2`),
      };
      process.kill(pid, 'SIGTERM');
    }
    assert.equal(results.ours.firstLine, '<dir>/d/ CREATE fN');
    assert.equal(results.ours.cwd, '/');
    assert.equal(results.ours.stdin, '/dev/null');
    assert.deepEqual(results.ours, results.upstream);
  });

  test('-d: the outfile must exist (A39a); a relative watch path means /<path>, and the daemon ends quietly (A39b)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-d', '-o', 'ev.log', '-e', 'create', 'd'], end: 'exit', ready: 'none', files: ['ev.log'] });
    const { dirs } = await compareWithUpstream(t, {
      tree: { d: null, 'ev.log': '' },
      args: ['-d', '-o', 'ev.log', '-e', 'create', 'no-such-dir-under-root'],
      end: 'exit',
      ready: 'none',
    });
    for (const dir of Object.values(dirs)) {
      stopDaemons(t, `${dir}/ev.log`);
      await waitFor(() => writersOf(`${dir}/ev.log`).length === 0, 'the daemon to give up');
      assert.equal(fs.readFileSync(`${dir}/ev.log`, 'latin1'), '');
    }
  });

  test('-d with -t: the daemon ends by itself; --format and -q apply to the log', async (t) => {
    const { dirs } = await compareWithUpstream(t, {
      tree: { d: null, 'log': 'old\n' },
      args: (dir) => ['-m', '-d', '-q', '-o', 'log', '--format', '%e %f', '-e', 'create', '--timeout', '1', `${dir}/d`],
      end: 'exit',
      ready: 'none',
    });
    for (const dir of Object.values(dirs)) {
      stopDaemons(t, `${dir}/log`);
      await waitFor(() => writersOf(`${dir}/log`).length === 0, 'the daemon to time out', 15000);
      assert.equal(fs.readFileSync(`${dir}/log`, 'latin1'), 'old\n');
    }
  });

  test('SIGPIPE: ours ends as soon as the reader goes, upstream at its next event; both die of SIGPIPE (A66)', async (t) => {
    const base = tempDir(t);
    const runs = {};
    for (const [name, bin] of Object.entries(tools)) {
      fs.mkdirSync(`${base}/${name}/d`, { recursive: true });
      runs[name] = start(bin, ['-m', '-e', 'create', 'd'], { cwd: `${base}/${name}` });
      t.after(() => runs[name].exited() || runs[name].kill('SIGKILL'));
      await runs[name].waitStderr('Watches established.');
      touch(`${base}/${name}/d/a`);
      await runs[name].waitStdout('d/ CREATE a\n');
      runs[name].child.stdout.destroy(); // the reader goes away, like `| head -n1`
    }
    const ours = await runs.ours.result();
    assert.equal(ours.signal, 'SIGPIPE');
    assert.equal(runs.upstream.exited(), false, 'upstream waits for its next event');
    touch(`${base}/upstream/d/b`);
    assert.equal((await runs.upstream.result()).signal, 'SIGPIPE');
  });

  test('SIGPIPE in a shell pipeline: `| head -n1` returns without a second event, status 141 (A66)', async (t) => {
    const base = tempDir(t);
    fs.mkdirSync(`${base}/d`);
    const script = `"$0" -m -e create d | head -n1; echo "status \${PIPESTATUS[0]}"`;
    const run = start('/bin/bash', ['-c', script, OURS], { cwd: base });
    t.after(() => run.exited() || run.kill('SIGKILL'));
    await run.waitStderr('Watches established.');
    touch(`${base}/d/a`);
    const r = await run.result();
    assert.equal(r.stdout.toString(), 'd/ CREATE a\nstatus 141\n');
  });

  test('signals the parent ignored stay ignored (nohup\'s SIGHUP, a background job\'s SIGINT); SIGTERM still ends it', async (t) => {
    const { ours } = await compareWithUpstream(t, {
      tree: { d: null },
      // `trap ''` ignores, and exec keeps it so, as nohup and `&` in a script do.
      args: (dir, name) => ['-c', 'trap "" HUP INT; exec "$0" -m -e create d', tools[name]],
      binOverride: '/bin/sh',
      act: async (dir, run) => {
        process.kill(run.pid, 'SIGHUP');
        process.kill(run.pid, 'SIGINT');
        touch(`${dir}/d/after`);
        await run.waitStdout('d/ CREATE after\n');
      },
      sentinel: lineSeen('d/ CREATE after\n'), // awaited by the act already: the end comes at once
      end: 'SIGTERM',
    });
    assert.equal(ours.stdout.toString(), 'd/ CREATE after\n');
    assert.equal(ours.signal, 'SIGTERM');
  });

  test('permission denied on a top-level path (A72) and skipped subdirectories with -r (A73)', { skip: !isRoot && 'needs root (setpriv)' }, async (t) => {
    const asNobody = (bin) => (dir, name) => ['--reuid=65534', '--regid=65534', '--clear-groups', tools[name], ...bin];
    const tree = (dir) => {
      fs.chmodSync(path.dirname(dir), 0o755);
      fs.chmodSync(dir, 0o755);
      fs.mkdirSync(`${dir}/secret`, { mode: 0o700 });
      fs.mkdirSync(`${dir}/d/closed`, { recursive: true, mode: 0o755 });
      fs.chmodSync(`${dir}/d/closed`, 0o700);
      fs.mkdirSync(`${dir}/d/open`, { mode: 0o777 });
      fs.chmodSync(`${dir}/d/open`, 0o777);
    };
    const setprivRun = async (args, act) => {
      const base = tempDir(t);
      const out = {};
      await Promise.all(Object.keys(tools).map(async (name) => {
        const dir = path.join(base, name);
        fs.mkdirSync(dir);
        tree(dir);
        const run = start('/usr/bin/setpriv', asNobody(args)(dir, name), { cwd: dir });
        t.after(() => run.exited() || run.kill('SIGKILL'));
        if (act) {
          await run.waitStderr('Watches established.');
          act(dir);
        }
        out[name] = await run.result();
      }));
      assert.deepEqual(out.ours, out.upstream);
      return out.ours;
    };
    const denied = await setprivRun(['-t', '1', 'secret/.']);
    assert.equal(denied.stderr, "Setting up watches.\nCouldn't watch secret/.: Permission denied\n");
    const skipped = await setprivRun(['-m', '-r', '-e', 'create', '-t', '1', 'd'], (dir) => touch(`${dir}/d/open/x`));
    assert.equal(skipped.stdout.toString(), 'd/open/ CREATE x\n');
  });

  test('watch limit reached: the two-line message naming the top path (A70)', { skip: !hasCommand('unshare') && 'needs unshare' }, async (t) => {
    const { ours } = await compareWithUpstream(t, {
      tree: { 'd/a/b/c': null, 'd/e': null },
      args: (dir, name) => ['-Ur', 'sh', '-c', 'echo 3 > /proc/sys/user/max_inotify_watches && exec "$0" -r d', tools[name]],
      end: 'exit',
      ready: 'none',
      binOverride: '/usr/bin/unshare',
    });
    assert.match(ours.stderr, /^Setting up watches\. {2}Beware.*\nFailed to watch d; upper limit on inotify watches reached!\nPlease increase/);
  });

  test('a new directory past the watch limit: the warning names it byte for byte, and monitoring goes on', { skip: !hasCommand('unshare') && 'needs unshare' }, async (t) => {
    const name = Buffer.from([0xff, 0xfe, 0x78]); // not UTF-8
    const warning = `Couldn't watch new directory d/${name.toString('latin1')}/: No space left on device`;
    const { ours } = await compareWithUpstream(t, {
      tree: { 'd/a': null },
      // Two watches: d and d/a. The new directory is the third.
      args: (dir, name) => ['-Ur', 'sh', '-c', 'echo 2 > /proc/sys/user/max_inotify_watches && exec "$0" -m -r -e create d', tools[name]],
      act: async (dir, run) => {
        fs.mkdirSync(Buffer.concat([Buffer.from(`${dir}/d/`), name]));
        await run.waitStderr(warning);
        fs.writeFileSync(`${dir}/d/after`, '');
        await run.waitStdout('d/ CREATE after\n');
      },
      sentinel: lineSeen('d/ CREATE after\n'),
      binOverride: '/usr/bin/unshare',
    });
    assert.equal(ours.stderr.split('\n').at(-2), warning);
  });

  test('no inotify instance left: the EMFILE message and hint (A71)', { skip: !hasCommand('unshare') && 'needs unshare' }, async (t) => {
    const { ours } = await compareWithUpstream(t, {
      tree: { d: null },
      args: (dir, name) => ['-Ur', 'sh', '-c', 'echo 0 > /proc/sys/user/max_inotify_instances && exec "$0" d', tools[name]],
      end: 'exit',
      ready: 'none',
      binOverride: '/usr/bin/unshare',
    });
    assert.equal(ours.stderr, "Couldn't initialize inotify: Too many open files\nTry increasing the value of /proc/sys/fs/inotify/max_user_instances\n");
  });

  test('unmount: UNMOUNT and IGNORED are not printed, single mode exits 1; printed when asked (A76, A77)', { skip: (!isRoot || !hasCommand('nsenter')) && 'needs root, unshare and nsenter' }, async (t) => {
    // A private mount namespace per run: the tmpfs is invisible to everyone else and goes with it.
    const inNamespace = (args) => (dir, name) => ['-m', 'sh', '-c', 'mount -t tmpfs tmpfs mnt && exec "$0" "$@"', tools[name], ...args];
    const umount = async (dir, run) => {
      await waitFor(() => watchCount(run.pid) > 0, 'the watch on mnt');
      await run.waitStderr('Watches established.');
      const r = spawnSync('nsenter', ['-t', String(run.pid), '-m', 'umount', `${dir}/mnt`]);
      assert.equal(r.status, 0, r.stderr.toString());
    };
    const single = await compareWithUpstream(t, { tree: { mnt: null }, args: inNamespace(['mnt']), act: umount, end: 'exit', ready: 'none', binOverride: '/usr/bin/unshare' });
    assert.equal(single.ours.code, 1);
    const listened = await compareWithUpstream(t, { tree: { mnt: null }, args: inNamespace(['-m', '-e', 'unmount', '-e', 'ignored', 'mnt']), act: umount, ready: 'none', binOverride: '/usr/bin/unshare', sentinel: lineSeen('mnt/ IGNORED \n') });
    assert.equal(listened.ours.stdout.toString(), 'mnt/ UNMOUNT,ISDIR \nmnt/ IGNORED \n');
  });

  test('-s: messages go to syslog(3) with ident inotifywait (seen through LOG_CONS on a private /dev/console) (A84)', { skip: !isRoot && 'needs root (mount namespace)' }, async (t) => {
    // In a private mount namespace /dev is a tmpfs without /dev/log, so glibc's syslog() falls back to
    // the console (LOG_CONS), which here is a FIFO read into console.log.
    const script = [
      'set -e', 'mkdir old', 'mount --bind /dev old', 'mount -t tmpfs tmpfs /dev',
      'for n in null zero urandom random; do touch /dev/$n; mount --bind old/$n /dev/$n; done',
      // The shell holds the FIFO open for writing, so cat sees no end of file between syslog()'s opens.
      'mkfifo /dev/console', 'cat /dev/console > console.log &', 'exec 3>/dev/console', 'set +e', '"$0" "$@"', 'rc=$?',
      'exec 3>&-', 'wait', 'exit $rc',
    ].join('\n');
    for (const args of [['-s', '-t', '1', 'd'], ['-s', '-r', 'nosuch'], ['-s', '-q', '-t', '1', 'd']]) {
      const { dirs, ours } = await compareWithUpstream(t, {
        tree: { d: null },
        args: (dir, name) => ['-m', 'sh', '-c', script, tools[name], ...args],
        binOverride: '/usr/bin/unshare',
        end: 'exit',
        ready: 'none',
      });
      const log = (dir) => fs.readFileSync(`${dir}/console.log`, 'latin1').replace(/\[\d+\]/g, '[PID]');
      assert.equal(log(dirs.ours), log(dirs.upstream));
      if (args[1] === '-t') assert.equal(log(dirs.ours), 'inotifywait[PID]: Setting up watches.\n\r\ninotifywait[PID]: Watches established.\n\r\n');
      if (args[1] === '-r') assert.match(log(dirs.ours), /Couldn't watch nosuch: No such file or directory/);
      assert.equal(ours.stderr, '');
    }
  });

  test('queue overflow: the same output; ours adds one warning line on stderr (A67, A68)', async (t) => {
    const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'latin1'));
    if (limit > 70000) return t.skip(`max_queued_events is ${limit}: too many files to create`);
    for (const events of [['-e', 'create', '-e', 'q_overflow'], ['-e', 'create']]) {
      const { ours, upstream } = await compareWithUpstream(t, {
        tree: { d: null },
        args: ['-m', ...events, 'd'],
        act: async (dir, run) => {
          process.kill(run.pid, 'SIGSTOP');
          for (let i = 0; i <= limit + 10; i++) fs.mkdirSync(`${dir}/d/f${i}`);
          process.kill(run.pid, 'SIGCONT');
        },
        compare: false,
        // No sentinel: with the queue full, the kernel drops its event (the line counts are the test).
        // inotifywait drains a full queue slowly (FIONREAD before each read walks the whole queue): on a
        // busy machine it took more than the default 4 s to print what ours had.
        settleMs: 20000,
      });
      const lines = (r) => r.stdout.toString().split('\n');
      // The kernel copies the limit into each instance when it is created; a concurrent process (the
      // bench) may have raised it for a moment. Then nothing overflowed, for either tool.
      if (lines(upstream).length - 1 > limit + 1) return t.skip('fs.inotify.max_queued_events was raised by another process meanwhile');
      assert.equal(ours.stdout.toString(), upstream.stdout.toString());
      assert.equal(lines(ours).length - 1, events.length === 4 ? limit + 1 : limit);
      if (events.length === 4) assert.equal(lines(ours).at(-2), ' Q_OVERFLOW ');
      assert.equal(ours.signal, upstream.signal);
      const extra = ours.stderr.slice(upstream.stderr.length);
      assert.ok(ours.stderr.startsWith(upstream.stderr));
      assert.match(extra, /^inotifywait: warning: the kernel event queue overflowed.*max_queued_events \(\d+ when this watcher started\).*\n$/);
    }
  });
});
