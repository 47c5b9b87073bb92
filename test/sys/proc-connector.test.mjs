// The proc connector binding against the real kernel: records for a child's fork, exec, rename, uid
// change and exit (code and signal), the overflow of a tiny receive buffer, and EPERM without privilege.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import { ENOBUFS, EPERM, setReceiveBuffer, NetlinkError, ProcConnector, decodeDatagram, mcastMessage, PROC_CN_MCAST_LISTEN } from '@inotifykit/sys';

const isRoot = process.getuid() === 0;
const needRoot = !isRoot && 'needs root (CAP_NET_ADMIN) for the proc connector';
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((p) => fs.existsSync(p));
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => fs.existsSync(p));

/** Collects records until `done(records)` holds (or 5 s pass). */
function collect(connector, done) {
  const records = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(records.slice(-20))}`)), 5000);
    connector.start(
      (batch) => {
        records.push(...batch.events);
        if (done(records)) {
          clearTimeout(timer);
          resolve(records);
        }
      },
      reject,
    );
  });
}

function runChild(file, args) {
  const child = spawn(file, args, { stdio: 'ignore' });
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

test('fork, exec, comm and exit (with its wait status) of a child', { skip: needRoot }, async (t) => {
  const connector = ProcConnector.open();
  t.after(() => connector.close());
  assert.ok(connector.receiveBufferBytes >= 1 << 20, `a large receive buffer (got ${connector.receiveBufferBytes})`);
  // The shell renames itself through /proc/self/comm, then exits 7.
  const { child, exited } = runChild('/bin/sh', ['-c', 'printf zzrenamed > /proc/$$/comm; exit 7']);
  const pid = child.pid;
  const records = await collect(connector, (rs) => rs.some((r) => r.type === 'exit' && r.tgid === pid && r.pid === pid));
  await exited;
  const mine = records.filter((r) => r.tgid === pid && r.pid === pid);
  const fork = mine.find((r) => r.type === 'fork');
  assert.ok(fork, 'the fork that made it');
  assert.equal(fork.parentTgid, process.pid);
  assert.ok(mine.some((r) => r.type === 'exec'), 'its exec');
  assert.deepEqual(mine.filter((r) => r.type === 'comm').map((r) => r.comm), ['zzrenamed']);
  const exit = mine.find((r) => r.type === 'exit');
  assert.equal(exit.exitCode, 7 << 8, 'a wait(2) status: the code in the second byte');
  assert.equal(exit.parentTgid, process.pid);
  assert.deepEqual(mine.map((r) => r.type), ['fork', 'exec', 'comm', 'exit'], 'in the order they happened');
  assert.ok(mine.every((r, i) => i === 0 || r.timestampNs >= mine[i - 1].timestampNs));
});

test('a killed process: the signal in the exit status', { skip: needRoot }, async (t) => {
  const connector = ProcConnector.open();
  t.after(() => connector.close());
  const { child } = runChild('/bin/sleep', ['30']);
  child.once('spawn', () => child.kill('SIGKILL'));
  const records = await collect(connector, (rs) => rs.some((r) => r.type === 'exit' && r.pid === child.pid));
  assert.equal(records.find((r) => r.type === 'exit' && r.pid === child.pid).exitCode & 0x7f, 9);
});

test('uid and gid changes', { skip: needRoot || (!SETPRIV && 'needs setpriv') }, async (t) => {
  const connector = ProcConnector.open();
  t.after(() => connector.close());
  const { child } = runChild(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/true']);
  const records = await collect(connector, (rs) => rs.some((r) => r.type === 'exit' && r.pid === child.pid));
  const uid = records.find((r) => r.type === 'uid' && r.tgid === child.pid);
  const gid = records.find((r) => r.type === 'gid' && r.tgid === child.pid);
  assert.deepEqual([uid?.ruid, uid?.euid], [65534, 65534]);
  assert.deepEqual([gid?.rgid, gid?.egid], [65534, 65534]);
});

test('a receive buffer that overruns reports it (ENOBUFS), then reads on', { skip: needRoot }, async (t) => {
  const connector = ProcConnector.open({ receiveBufferBytes: 1 });
  t.after(() => connector.close());
  // Nobody reads while 40 processes run: the few-kilobyte buffer holds a handful of records.
  for (let i = 0; i < 40; i++) await runChild('/bin/true', []).exited;
  const first = connector.readNow();
  assert.equal(first.overflow, true);
  assert.match(first.overflowReason, /^receive buffer overrun \(ENOBUFS\) \d+ time\(s\)/);
  assert.ok(ENOBUFS > 0);
  setReceiveBuffer(connector.fd, 8 << 20); // room again (the machine's other processes fill a tiny one)
  connector.readNow();
  const { child, exited } = runChild('/bin/true', []);
  await exited;
  const after = connector.readNow();
  assert.ok(after.events.some((r) => r.type === 'exit' && r.pid === child.pid), 'records after the overrun arrive');
});

// The kernel numbers every message it sends from one per-CPU counter, its acks of other listeners'
// subscriptions too (sent to every listener): those are no lost records. Pinned to one CPU (taskset), so
// that the acks and the records of the runs around them share a counter, which made a "gap" every time.
test('another listener coming and going is not a lost record (its acks take sequence numbers)', { skip: needRoot || (!TASKSET && 'needs taskset') }, async () => {
  const script = `
    import { ProcConnector } from '@inotifykit/sys';
    import { spawnSync } from 'node:child_process';
    const a = ProcConnector.open();
    a.readNow();
    const rounds = [];
    for (let i = 0; i < 5; i++) {
      spawnSync('/bin/true');
      for (let j = 0; j < 3; j++) await ProcConnector.open().close();
      spawnSync('/bin/true');
      const r = a.readNow();
      rounds.push([r.events.length, r.overflow, r.overflowReason ?? '']);
    }
    console.log(JSON.stringify(rounds));
    await a.close();`;
  const rounds = JSON.parse(await runNode([TASKSET, '-c', '0'], script));
  assert.ok(rounds.every(([events]) => events >= 6), `each round saw its runs' records: ${JSON.stringify(rounds)}`);
  // A real loss (the machine's other processes can overrun nothing in 8 MiB, but a GFP_NOWAIT failure is
  // possible) says how it was seen; an ack never counts as one.
  const lost = rounds.filter(([, overflow]) => overflow);
  assert.ok(lost.length <= 1, `no spurious losses: ${JSON.stringify(rounds)}`);
  for (const [, , reason] of lost) assert.match(reason, /^(receive buffer overrun|sequence gap on CPU \d+: \d+ record)/);
});

test('a datagram: every message, acks included, gives its CPU and sequence number', () => {
  const message = (what, cpu, seq) => {
    const m = Buffer.alloc(16 + 20 + 40);
    m.writeUInt32LE(m.length, 0);
    m.writeUInt16LE(3, 4);
    m.writeUInt32LE(1, 16);
    m.writeUInt32LE(1, 20);
    m.writeUInt32LE(seq, 24);
    m.writeUInt16LE(40, 32);
    m.writeUInt32LE(what, 36);
    m.writeUInt32LE(cpu, 40);
    return m;
  };
  const dgram = Buffer.concat([message(2, 1, 7), message(0, 1, 8), message(0x12345, 1, 9), message(0x80000000, 0, 3)]);
  const seen = [];
  const events = [];
  decodeDatagram(dgram, dgram.length, (e) => events.push(e.type), () => {}, (cpu, seq) => seen.push([cpu, seq]));
  assert.deepEqual(events, ['exec', 'exit']);
  assert.deepEqual(seen, [[1, 7], [1, 8], [1, 9], [0, 3]]);
});

test('the subscription message and an ack decode as the kernel lays them out', () => {
  const msg = mcastMessage(PROC_CN_MCAST_LISTEN, 5);
  assert.equal(msg.length, 40);
  assert.equal(msg.readUInt32LE(0), 40);
  assert.equal(msg.readUInt32LE(36), PROC_CN_MCAST_LISTEN);
  // An ack: the same header with a proc_event whose `what` is 0 and err at the start of event_data.
  const ack = Buffer.alloc(16 + 20 + 24);
  ack.writeUInt32LE(ack.length, 0);
  ack.writeUInt16LE(3, 4);
  ack.writeUInt32LE(1, 16);
  ack.writeUInt32LE(1, 20);
  ack.writeUInt32LE(6, 28);
  ack.writeUInt16LE(24, 32);
  ack.writeUInt32LE(EPERM, 36 + 16);
  const acks = [];
  decodeDatagram(ack, ack.length, () => assert.fail('an ack is no event'), (err, n) => acks.push([err, n]));
  assert.deepEqual(acks, [[EPERM, 6]]);
});

// Since Linux 6.6 any user may listen; before, bind() refuses without CAP_NET_ADMIN. Either way the
// outcome is one of the two, never a silent subscription that receives nothing.
test('as an unprivileged user: open() works (Linux >= 6.6) or fails with EPERM', { skip: (!isRoot && 'runs as root to drop to uid 65534') || (!SETPRIV && 'needs setpriv') }, async () => {
  const out = await asUser65534(`import('@inotifykit/sys').then(({ ProcConnector }) => { try { const c = ProcConnector.open(); console.log('opened'); c.close(); } catch (e) { console.log(e.name, e.call, e.errno); } })`);
  const [major, minor] = fs.readFileSync('/proc/sys/kernel/osrelease', 'latin1').split('.').map(Number);
  assert.equal(out, major > 6 || (major === 6 && minor >= 6) ? 'opened' : `NetlinkError bind ${EPERM}`);
});

test('in another network namespace there is no connector: a NetlinkError, not a hang', { skip: (!isRoot && 'needs root for unshare --net') || (!UNSHARE && 'needs unshare') }, async () => {
  const out = await runNode([UNSHARE, '--net'], `import('@inotifykit/sys').then(({ ProcConnector }) => { try { ProcConnector.open(); console.log('opened'); } catch (e) { console.log(e.name, e.call); } })`);
  assert.match(out, /^NetlinkError (socket|bind|send|PROC_CN_MCAST_LISTEN)$/);
  assert.ok(NetlinkError);
});

function runNode(prefix, script) {
  return new Promise((resolve, reject) =>
    execFile(prefix[0], [...prefix.slice(1), process.execPath, '--input-type=module', '-e', script], { cwd: process.cwd() }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr)) : resolve(stdout.trim()),
    ),
  );
}

function asUser65534(script) {
  return runNode([SETPRIV, '--reuid=65534', '--regid=65534', '--clear-groups'], script);
}
