// The taskstats listener against the real kernel: the family resolves, a child's exit gives its pid, name,
// ids and exit code (and, read along by the proc connector's thread, comes before its exit record), a
// thread's exit is its own task's, and without CAP_NET_ADMIN registering fails with EPERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import { EPERM, NetlinkError, NETLINK_GENERIC, ProcConnector, TaskstatsListener, openNetlink, close, resolveGenlFamily } from '@inotifykit/sys';

const isRoot = process.getuid() === 0;
const needRoot = !isRoot && 'needs root (CAP_NET_ADMIN) to register for taskstats';
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
const hasTaskstats = (() => {
  try {
    const fd = openNetlink(NETLINK_GENERIC, 0);
    try {
      resolveGenlFamily(fd, 'TASKSTATS');
      return true;
    } finally {
      close(fd);
    }
  } catch {
    return false;
  }
})();
const noTaskstats = !hasTaskstats && 'the kernel has no TASKSTATS family (CONFIG_TASKSTATS)';

/** Reads the listener every 10 ms until `done(exits)` holds (5 s at most). */
async function exitsUntil(listener, done) {
  const exits = [];
  const deadline = Date.now() + 5000;
  for (;;) {
    exits.push(...listener.readNow().exits);
    if (done(exits)) return exits;
    if (Date.now() > deadline) throw new Error(`timed out; got ${exits.length} exits`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the TASKSTATS family resolves', { skip: noTaskstats }, () => {
  const fd = openNetlink(NETLINK_GENERIC, 0);
  try {
    const id = resolveGenlFamily(fd, 'TASKSTATS');
    assert.ok(id >= 16 && id <= 1023, `a dynamic family id (${id})`);
    assert.throws(() => resolveGenlFamily(fd, 'NOSUCHFAM'), (err) => err instanceof NetlinkError && err.errno === 2);
  } finally {
    close(fd);
  }
});

test("a child's exit: its pid, name, uid, gid, parent and exit code", { skip: needRoot || noTaskstats }, async (t) => {
  const listener = TaskstatsListener.open();
  t.after(() => listener.close());
  assert.match(listener.cpus, /^[\d,-]+$/);
  const child = spawn('/bin/sh', ['-c', 'printf zzstats > /proc/$$/comm; exit 7'], { stdio: 'ignore' });
  const exits = await exitsUntil(listener, (es) => es.some((e) => e.pid === child.pid));
  const mine = exits.filter((e) => e.pid === child.pid);
  assert.equal(mine.length, 1, 'one message for its one task');
  const [e] = mine;
  assert.equal(e.tgid, child.pid);
  assert.equal(e.comm, 'zzstats');
  assert.equal(e.uid, process.getuid());
  assert.equal(e.gid, process.getgid());
  assert.equal(e.ppid, process.pid);
  assert.equal(e.exitCode, 7 << 8, 'a wait(2) status');
  assert.ok(e.version >= 1);
  assert.ok(Math.abs(e.beginTime - Date.now() / 1000) < 60, `begin time in seconds since the epoch (${e.beginTime})`);
});

test("a thread's exit is its own (pid the thread, tgid the process); the process's is the leader's", { skip: needRoot || noTaskstats }, async (t) => {
  const listener = TaskstatsListener.open();
  t.after(() => listener.close());
  // A node child starts worker threads of its own and exits 3: every task of it has an exit message.
  const child = spawn(process.execPath, ['-e', 'process.exitCode = 3'], { stdio: 'ignore' });
  const exits = await exitsUntil(listener, (es) => es.some((e) => e.pid === child.pid));
  const group = exits.filter((e) => e.tgid === child.pid);
  const leader = group.filter((e) => e.pid === child.pid);
  assert.equal(leader.length, 1);
  assert.equal(leader[0].exitCode, 3 << 8);
  assert.ok(group.length > 1, `its threads too (${group.length})`);
  assert.ok(group.every((e) => e.tgid === child.pid));
});

test("read by the proc connector's thread (allTaskstats): a child's taskstats record comes before its exit record", { skip: needRoot || noTaskstats }, async (t) => {
  const connector = ProcConnector.open({ taskstats: true });
  t.after(() => connector.close());
  if (process.env.INOTIFYKIT_TASKSTATS === '0') {
    assert.equal(connector.taskstats, undefined, 'switched off');
    return;
  }
  assert.ok(connector.taskstats, 'listening as root');
  const records = [];
  let child;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), 5000);
    void connector
      .start(
        (batch) => {
          records.push(...batch.events);
          if (child && records.some((r) => r.type === 'exit' && r.pid === child.pid)) {
            clearTimeout(timer);
            resolve();
          }
        },
        reject,
        { allTaskstats: true },
      )
      .then(() => {
        child = spawn('/bin/sh', ['-c', 'exit 5'], { stdio: 'ignore' });
      });
  });
  const mine = records.filter((r) => r.pid === child.pid && (r.type === 'taskstats' || r.type === 'exit'));
  assert.deepEqual(mine.map((r) => r.type), ['taskstats', 'exit']);
  assert.equal(mine[0].stats.comm, 'sh');
  assert.equal(mine[0].stats.exitCode, mine[1].exitCode);
});

test('INOTIFYKIT_TASKSTATS=0: the connector opens without it', { skip: needRoot }, async () => {
  const code = `
    import { ProcConnector } from '@inotifykit/sys';
    const c = ProcConnector.open({ taskstats: true });
    process.stdout.write(String(c.taskstats === undefined));
    await c.close();`;
  const out = await new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, INOTIFYKIT_TASKSTATS: '0' } }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  assert.equal(out, 'true');
});

test('as uid 65534: registering fails with EPERM (no CAP_NET_ADMIN), and the connector goes on without it', { skip: needRoot || noTaskstats || (!SETPRIV && 'needs setpriv') }, async () => {
  const code = `
    import { TaskstatsListener, ProcConnector } from '@inotifykit/sys';
    const out = {};
    try { TaskstatsListener.open(); out.opened = true; } catch (err) { out.call = err.call; out.errno = err.errno; }
    try { const c = ProcConnector.open({ taskstats: true }); out.connectorTaskstats = c.taskstats !== undefined; await c.close(); } catch (err) { out.connector = err.message; }
    process.stdout.write(JSON.stringify(out));`;
  const out = await new Promise((resolve, reject) =>
    execFile(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', code], { cwd: process.cwd() }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout)),
    ),
  );
  assert.equal(out.call, 'TASKSTATS_CMD_ATTR_REGISTER_CPUMASK', JSON.stringify(out));
  assert.equal(out.errno, EPERM);
  // The connector itself needs privilege before Linux 6.6; where it opens, it is without taskstats.
  if (out.connector === undefined) assert.equal(out.connectorTaskstats, false);
});
