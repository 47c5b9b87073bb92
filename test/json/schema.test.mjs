// Every tool's --json, run for real, validates against the one schema (docs/schema/inotifykit.schema.json),
// each line against the record kind it should be (not only against "one of them").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { binPath, startTool, tempDir, waitFor } from '../lib/cli.mjs';
import { fixture, startProcwatch } from '../procwatch/helpers.mjs';
import { start as startDnotify } from '../dnotify/helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'docs/schema/inotifykit.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
ajv.addSchema(schema);
const validators = new Map();

/** Asserts that `line` is valid as `kind` (a $defs name) and as the schema as a whole. */
function assertValid(line, kind) {
  const record = JSON.parse(line);
  for (const ref of [`${schema.$id}#/$defs/${kind}`, schema.$id]) {
    let validate = validators.get(ref);
    if (!validate) validators.set(ref, (validate = ajv.getSchema(ref)));
    assert.ok(validate(record), `${kind}: ${line}\n${ajv.errorsText(validate.errors)}`);
  }
  return record;
}

const lines = (buf) => buf.toString('utf8').split('\n').filter(Boolean);

test('the schema itself compiles under ajv strict mode, and rejects what it should', () => {
  const v = (record, kind) => ajv.getSchema(`${schema.$id}#/$defs/${kind}`)(record);
  const event = { time: '2026-12-01T21:17:53.123456Z', events: ['create'], path: 'd/f', watch: 'd/', name: 'f', is_dir: false, cookie: 0 };
  assert.ok(v(event, 'fileEvent'));
  assert.ok(!v({ ...event, time: 1764624000.5 }, 'fileEvent'), 'an epoch float is not a time');
  assert.ok(!v({ ...event, time: '2026-12-01T21:17:53.123Z' }, 'fileEvent'), 'milliseconds are not enough');
  assert.ok(!v({ ...event, events: ['CREATE'] }, 'fileEvent'), 'names are lower-case');
  assert.ok(!v({ ...event, events: ['close'] }, 'fileEvent'), 'composites are never written');
  assert.ok(!v({ ...event, nameBase64: 'AA==' }, 'fileEvent'), 'unknown keys are refused');
  const exit = { time: event.time, events: ['exit'], pid: 2, ppid: 1, comm: 'x', cmdline: 'x', argv: ['x'] };
  assert.ok(v({ ...exit, exit_code: 3 }, 'procEvent'));
  assert.ok(!v({ ...exit, exit_code: 3, signal: 'SIGKILL' }, 'procEvent'), 'a code or a signal, not both');
});

/**
 * fs.inotify.max_queued_events when a queue that long can be filled within the test (up to 70,000, as the
 * differential overflow tests take); else 0, said as a diagnostic (a machine, or a concurrent bench, that
 * raised it to millions: the overflow part is left out).
 */
function overflowFits(t) {
  const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
  if (limit <= 70000) return limit;
  t.diagnostic(`max_queued_events is ${limit}: too many events to make, no overflow record checked`);
  return 0;
}

test('inotifywait --json: events (UTF-8 and not), directories, a paired move, the ready line, an overflow', async (t) => {
  const cwd = tempDir(t, 'ik-json-');
  fs.mkdirSync(`${cwd}/d`);
  const run = startTool(binPath('inotifywait'), ['-m', '-r', '-q', '--json', '--ready', 'd'], { cwd });
  t.after(() => run.exited() || run.kill('SIGKILL'));
  await run.waitStdout('"ready":true');
  fs.writeFileSync(`${cwd}/d/café`, 'x');
  fs.writeFileSync(Buffer.from(`${cwd}/d/\xff\n.bin`, 'latin1'), '');
  fs.mkdirSync(`${cwd}/d/sub`);
  // Its CREATE is printed once d/sub/ is watched: only then can a move into it be seen whole.
  await run.waitStdout('"path":"d/sub"');
  fs.renameSync(`${cwd}/d/café`, `${cwd}/d/sub/moved`);
  fs.rmSync(`${cwd}/d/sub`, { recursive: true });
  await waitFor(() => lines(run.stdout()).some((l) => l.includes('"delete_self"')), () => `the delete_self of d/sub/; got ${run.stdout()}`);
  // An overflow: stopped, the process reads nothing while the kernel queue fills.
  const overflow = overflowFits(t);
  if (overflow) {
    run.kill('SIGSTOP');
    try {
      for (let i = 0; i <= overflow / 2; i++) fs.closeSync(fs.openSync(`${cwd}/d/${i % 2 ? 'a' : 'b'}`, 'a'));
    } finally {
      run.kill('SIGCONT');
    }
    await waitFor(() => lines(run.stdout()).some((l) => l.includes('"q_overflow"')), 'the overflow record', 30_000);
  }
  run.kill('SIGINT');
  await run.result(10_000);

  const out = lines(run.stdout());
  const kinds = new Set();
  for (const line of out) {
    const kind = line.includes('"ready"') ? 'ready' : line.includes('"q_overflow"') ? 'overflow' : 'fileEvent';
    kinds.add(kind);
    assertValid(line, kind);
  }
  assert.deepEqual([...kinds].sort(), overflow ? ['fileEvent', 'overflow', 'ready'] : ['fileEvent', 'ready']);
  const records = out.map((l) => JSON.parse(l));
  const odd = records.find((r) => r.name_base64);
  assert.equal(Buffer.from(odd.path_base64, 'base64').toString('latin1'), 'd/\xff\n.bin');
  const from = records.find((r) => r.events?.[0] === 'moved_from');
  const to = records.find((r) => r.events?.[0] === 'moved_to');
  assert.deepEqual([from.path, to.path, from.cookie === to.cookie], ['d/café', 'd/sub/moved', true]);
  assert.ok(records.some((r) => r.is_dir && r.events?.[0] === 'create' && r.path === 'd/sub'));
});

test('inotifywatch --json: statistics per watch and per file, with a non-UTF-8 path', async (t) => {
  for (const mode of [[], ['--per-file']]) {
    const cwd = tempDir(t, 'ik-json-');
    fs.mkdirSync(`${cwd}/d`);
    const run = startTool(binPath('inotifywatch'), ['--json', ...mode, '-r', 'd'], { cwd, argv0: 'inotifywatch', killSignal: 'SIGINT' });
    t.after(() => run.exited() || run.kill('SIGKILL'));
    await run.waitStderr('now collecting statistics.');
    fs.writeFileSync(Buffer.from(`${cwd}/d/\xfe`, 'latin1'), 'x');
    fs.mkdirSync(`${cwd}/d/sub`);
    run.kill('SIGINT');
    const { stdout } = await run.result(10_000);
    const [line] = lines(stdout);
    const doc = assertValid(line, 'statistics');
    assert.ok(doc.totals.total > 0);
    if (mode.length) assert.ok(doc.rows.some((r) => r.path_base64 === Buffer.from('d/\xfe', 'latin1').toString('base64')));
  }
});

test('fsnotifywatch --json: rows per directory and per process; fsnotifywait --json: pid, comm, uid', { skip: process.getuid() !== 0 && 'fanotify needs root' }, async (t) => {
  for (const mode of [[], ['--by-process']]) {
    const cwd = tempDir(t, 'ik-json-');
    fs.mkdirSync(`${cwd}/d`);
    const run = startTool(binPath('fsnotifywatch'), ['--json', ...mode, '-r', 'd'], { cwd, killSignal: 'SIGINT' });
    t.after(() => run.exited() || run.kill('SIGKILL'));
    await run.waitStderr('now collecting statistics.');
    fs.writeFileSync(`${cwd}/d/f`, 'x');
    run.kill('SIGINT');
    const doc = assertValid(lines((await run.result(10_000)).stdout)[0], 'statistics');
    assert.equal(doc.mode, mode.length ? 'process' : 'watch');
    assert.ok(doc.rows.some((r) => r.path === (mode.length ? 'node' : 'd/')), JSON.stringify(doc.rows));
  }
  const cwd = tempDir(t, 'ik-json-');
  fs.mkdirSync(`${cwd}/d`);
  const run = startTool(binPath('fsnotifywait'), ['-q', '--json', '-e', 'create', 'd'], { cwd });
  await waitFor(() => (fs.writeFileSync(`${cwd}/d/f${Date.now()}`, ''), run.exited()), 'an event');
  const event = assertValid(lines((await run.result(10_000)).stdout)[0], 'fileEvent');
  assert.deepEqual([event.pid, event.comm, event.uid], [process.pid, 'node', 0]);
});

test('dnotify --json: changes (UTF-8 and not), one in a directory -r found new, an overflow', async (t) => {
  const cwd = tempDir(t, 'ik-json-');
  fs.mkdirSync(`${cwd}/d`);
  const run = startDnotify(['--json', '-r', '-C', '-M', 'd'], { cwd });
  t.after(() => run.kill());
  await run.ready(1);
  const out = () => lines(run.stdout());
  fs.writeFileSync(`${cwd}/d/café`, 'x');
  fs.writeFileSync(Buffer.from(`${cwd}/d/\xfe`, 'latin1'), '');
  fs.mkdirSync(`${cwd}/d/sub`);
  fs.writeFileSync(`${cwd}/d/sub/f`, 'x');
  await waitFor(() => out().some((l) => l.includes('"path":"d/sub/f"')), () => `d/sub/f; got ${out()}`);
  // An overflow: stopped, dnotify reads nothing while the kernel queue fills with MODIFYs (two files in
  // turn, so that the kernel cannot merge them).
  const overflow = overflowFits(t);
  if (overflow) {
    run.kill('SIGSTOP');
    try {
      for (let i = 0; i <= overflow; i++) fs.appendFileSync(`${cwd}/d/${i % 2 ? 'a' : 'b'}`, 'x');
    } finally {
      run.kill('SIGCONT');
    }
    await waitFor(() => out().some((l) => l.includes('"q_overflow"')), 'the overflow record', 30_000);
  }
  run.kill('SIGINT');
  await run.finished(10_000);

  const records = out().map((line) => assertValid(line, line.includes('"q_overflow"') ? 'overflow' : 'fileEvent'));
  const odd = records.find((r) => r.name_base64);
  assert.equal(Buffer.from(odd.path_base64, 'base64').toString('latin1'), 'd/\xfe');
  assert.ok(records.some((r) => r.path === 'd/café' && r.events[0] === 'create' && r.watch === 'd/'));
  assert.ok(records.some((r) => r.path === 'd/sub' && r.is_dir));
  assert.ok(records.every((r) => r.events.every((e) => ['create', 'moved_to', 'modify', 'q_overflow'].includes(e))), 'only the kinds asked for');
});

test('procwatch -m --json: a start and an exit with its status', async (t) => {
  const fx = fixture(t);
  const pw = startProcwatch(t, ['-m', '--json', '--interval', '0.05', fx.name]);
  await pw.waitErr(/^Watches established\.$/);
  const child = await fx.start(30);
  const start = assertValid(await pw.waitOut(/"start"/), 'procEvent');
  assert.equal(start.pid, child.pid);
  child.kill('SIGKILL');
  const exit = assertValid(await pw.waitOut(/"exit"/), 'procEvent');
  assert.equal(exit.pid, child.pid);
  if ('signal' in exit) assert.equal(exit.signal, 'SIGKILL');
  pw.child.kill('SIGTERM');
});
