// watch(), the library's front door, against the real kernel: ending (abort, close(), break, await using)
// within 100 ms, text paths in and out, exact bytes, move pairing, names, patterns, overflow, backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Watcher, FileWatcher, IN_CREATE, fromText, watch } from '@inotifykit/event-core';
import { startTool, tempDir } from '../../lib/cli.mjs';

/** Takes events from `w` until `until(ev)` is true; returns them all (the last included). */
async function take(w, until, timeoutMs = 5000) {
  const seen = [];
  const deadline = setTimeout(() => void w.close(), timeoutMs);
  try {
    for await (const ev of w) {
      seen.push(ev);
      if (until(ev)) return seen;
    }
  } finally {
    clearTimeout(deadline);
  }
  throw new Error(`ended before the awaited event; saw ${seen.map((e) => `${e.type} ${e.path}`).join(', ')}`);
}

const line = (ev) => (ev.type === 'move' ? `move ${ev.from.path} -> ${ev.to.path}` : `${ev.type} ${ev.path ?? ''}`);

for (const [how, end] of [
  ['abort of the signal', (w, ac) => ac.abort()],
  ['close() from outside the loop', (w) => void w.close()],
]) {
  test(`${how} ends every pending next() within 100 ms`, async (t) => {
    const dir = tempDir(t, 'ik-lib-');
    const ac = new AbortController();
    const w = watch(dir, { signal: ac.signal });
    await w.ready;
    const pending = [w.next(), w.next(), w.next()];
    const loop = (async () => {
      for await (const ev of w) assert.fail(`no event expected: ${line(ev)}`);
      return 'loop over';
    })();
    // They are really waiting: a turn of the event loop (the backend's read included) does not settle them.
    const early = await Promise.race([Promise.all(pending).then(() => 'settled'), new Promise((r) => setImmediate(() => r('waiting')))]);
    assert.equal(early, 'waiting');
    const start = performance.now();
    end(w, ac);
    const results = await Promise.all(pending);
    assert.equal(await loop, 'loop over');
    const elapsed = performance.now() - start;
    assert.ok(elapsed < 100, `ended after ${elapsed.toFixed(1)} ms`);
    assert.deepEqual(results.map((r) => r.done), [true, true, true]);
    assert.deepEqual(await w.next(), { value: undefined, done: true }, 'and stays ended');
    await w.close(); // twice is fine
  });
}

test('an already aborted signal: the iteration is over at once', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  const w = watch(dir, { signal: AbortSignal.abort() });
  assert.equal((await w.next()).done, true);
  await w.ready;
});

test('a program whose loop is ended by close() or abort exits by itself, status 0 (it hung: exit 13)', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  const programs = {
    'watch() + close()': `const w = watch(${JSON.stringify(dir)}); await w.ready; setTimeout(() => w.close(), 50); for await (const e of w) {} console.log('done');`,
    'watch() + abort': `const w = watch(${JSON.stringify(dir)}, { signal: AbortSignal.timeout(50) }); for await (const e of w) {} console.log('done');`,
    'break out of the loop': `const w = watch(${JSON.stringify(dir)}); await w.ready; setTimeout(() => fs.writeFileSync(${JSON.stringify(dir + '/x')}, ''), 20); for await (const e of w) break; console.log('done');`,
    'Symbol.asyncDispose': `const w = watch(${JSON.stringify(dir)}); await w.ready; setTimeout(() => w[Symbol.asyncDispose](), 50); for await (const e of w) {} console.log('done');`,
    'engine Watcher.events() + close()': `const w = new Watcher({ mask: IN_CREATE }); w.add(fromText(${JSON.stringify(dir)})); setTimeout(() => w.close(), 50); for await (const e of w.events()) {} console.log('done');`,
  };
  for (const [name, body] of Object.entries(programs)) {
    const source = `import fs from 'node:fs'; import { watch, Watcher, IN_CREATE, fromText } from '@inotifykit/event-core'; ${body}`;
    const c = startTool(process.execPath, ['--input-type=module', '-e', source], { cwd: path.resolve('.') });
    const r = await c.result(5000);
    assert.deepEqual([r.code, r.stdout.toString(), r.stderr], [0, 'done\n', ''], name);
  }
});

test('a non-ASCII path watched by its JS string, and added by it; events give it back as text and bytes', async (t) => {
  const base = tempDir(t, 'ik-lib-');
  const cafe = path.join(base, 'café');
  const naive = path.join(base, 'naïve ünï');
  fs.mkdirSync(cafe);
  fs.mkdirSync(naive);
  const w = watch(cafe, { events: ['create'] });
  t.after(() => w.close());
  await w.ready;
  await w.add(naive);
  fs.writeFileSync(path.join(cafe, 'thé'), '');
  fs.writeFileSync(path.join(naive, 'f'), '');
  const events = await take(w, (ev) => ev.path === path.join(naive, 'f'));
  assert.deepEqual(events.map(line), [`create ${cafe}/thé`, `create ${naive}/f`]);
  const [first] = events;
  assert.equal(first.name, 'thé');
  assert.equal(first.watch, cafe);
  assert.deepEqual(first.bytes.path, Buffer.from(`${cafe}/thé`));
  assert.deepEqual(first.bytes.name, Buffer.from('thé'));
});

test('a name that is not UTF-8: U+FFFD in the text, the exact bytes in ev.bytes; a Buffer path is exact bytes', async (t) => {
  const base = tempDir(t, 'ik-lib-');
  const odd = Buffer.concat([Buffer.from(`${base}/`), Buffer.from([0xe9, 0x0a])]); // latin1 é, newline
  fs.mkdirSync(odd);
  const w = watch(odd, { events: ['create'] });
  t.after(() => w.close());
  await w.ready;
  fs.writeFileSync(Buffer.concat([odd, Buffer.from('/\xff', 'latin1')]), '');
  const [ev] = await take(w, () => true);
  assert.equal(ev.name, '\ufffd');
  assert.equal(ev.path, `${base}/\ufffd\n/\ufffd`);
  assert.deepEqual(ev.bytes.path, Buffer.concat([odd, Buffer.from([0x2f, 0xff])]));
  assert.deepEqual(ev.bytes.watch, odd);
});

test('moves: pairs inside the tree become one move event; halves seen alone stay halves; pairMoves: false', async (t) => {
  const base = tempDir(t, 'ik-lib-');
  fs.mkdirSync(`${base}/in/sub`, { recursive: true });
  fs.mkdirSync(`${base}/out`);
  fs.writeFileSync(`${base}/in/a`, '');
  fs.writeFileSync(`${base}/out/c`, '');
  {
    const w = watch(`${base}/in`, { recursive: true, events: ['move', 'create'] });
    t.after(() => w.close());
    await w.ready;
    fs.renameSync(`${base}/in/a`, `${base}/in/sub/b`); // across watched directories
    fs.renameSync(`${base}/in/sub`, `${base}/in/dir2`); // a directory
    fs.renameSync(`${base}/in/dir2/b`, `${base}/out/b`); // out of the tree
    fs.renameSync(`${base}/out/c`, `${base}/in/c`); // into it
    fs.writeFileSync(`${base}/in/end`, '');
    const events = await take(w, (ev) => ev.type === 'create' && ev.name === 'end');
    assert.deepEqual(events.map(line), [
      `move ${base}/in/a -> ${base}/in/sub/b`,
      `move ${base}/in/sub -> ${base}/in/dir2`,
      `moved_from ${base}/in/dir2/b`,
      `moved_to ${base}/in/c`,
      `create ${base}/in/end`,
    ]);
    const move = events[1];
    assert.equal(move.isDir, true);
    assert.equal(move.from.cookie, move.to.cookie);
    assert.ok(move.cookie > 0);
  }
  {
    const w = watch(`${base}/in`, { events: ['move'], pairMoves: false });
    t.after(() => w.close());
    await w.ready;
    fs.renameSync(`${base}/in/c`, `${base}/in/d`);
    const events = await take(w, (ev) => ev.type === 'moved_to');
    assert.deepEqual(events.map(line), [`moved_from ${base}/in/c`, `moved_to ${base}/in/d`]);
    assert.equal(events[0].cookie, events[1].cookie);
  }
});

test('events by name: only those come; an unknown name is a TypeError at once', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  const w = watch(dir, { events: ['close_write', 'delete'] });
  t.after(() => w.close());
  await w.ready;
  fs.writeFileSync(`${dir}/f`, 'x'); // create, open, modify, close_write
  fs.unlinkSync(`${dir}/f`);
  const events = await take(w, (ev) => ev.type === 'delete');
  assert.deepEqual(events.map((ev) => [ev.type, ev.events]), [['close_write', ['close_write']], ['delete', ['delete']]]);
  assert.throws(() => watch(dir, { events: ['craete'] }), { name: 'TypeError', message: /unknown event name 'craete'/ });
});

test('recursive, with include/exclude globs and a RegExp: excluded directories are not even watched', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  fs.mkdirSync(`${dir}/node_modules/x`, { recursive: true });
  fs.mkdirSync(`${dir}/src`);
  const w = watch(dir, { recursive: true, events: ['create'], include: ['*.c', /END$/], exclude: ['node_modules', /skip/] });
  t.after(() => w.close());
  await w.ready;
  fs.writeFileSync(`${dir}/node_modules/x/a.c`, '');
  fs.writeFileSync(`${dir}/src/skip.c`, '');
  fs.writeFileSync(`${dir}/src/a.h`, '');
  fs.mkdirSync(`${dir}/src/new/deep`, { recursive: true });
  fs.writeFileSync(`${dir}/src/new/deep/b.c`, '');
  fs.writeFileSync(`${dir}/END`, '');
  const events = await take(w, (ev) => ev.name === 'END');
  assert.deepEqual(events.map(line), [`create ${dir}/src/new/deep/b.c`, `create ${dir}/END`]);
});

test('a watch that cannot be made rejects ready and the iteration with a WatchError naming the path', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  const w = watch(`${dir}/missing`);
  await assert.rejects(w.ready, (err) => err.name === 'WatchError' || /missing/.test(String(err.message)));
  await assert.rejects(w.next(), /missing|No such file/);
  assert.equal((await w.next()).done, true);
});

test('a consumer that falls behind: the engine stops reading, the kernel overflows, and an overflow event says so', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  fs.writeFileSync(`${dir}/a`, '');
  fs.writeFileSync(`${dir}/b`, '');
  const w = watch(dir, { events: ['open', 'close_nowrite'] });
  t.after(() => w.close());
  await w.ready;
  const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
  // Nobody reads meanwhile: a few thousand are queued in the library, then the kernel's queue fills.
  for (let i = 0; i < limit * 2; i++) fs.closeSync(fs.openSync(`${dir}/${i % 2 ? 'a' : 'b'}`, 'r'));
  const events = await take(w, (ev) => ev.type === 'q_overflow', 20_000);
  const overflow = events.at(-1);
  assert.deepEqual(overflow.events, ['q_overflow']);
  assert.ok(overflow.time > 0);
});

test("backend: 'parcel' through the same call; new Watcher({ backend: 'parcel' }) does not throw", async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  {
    const w = watch(dir, { backend: 'parcel', recursive: true });
    t.after(() => w.close());
    await w.ready;
    assert.equal(w.backend, 'parcel');
    fs.writeFileSync(`${dir}/f`, '');
    const [ev] = await take(w, (e) => e.type === 'create');
    assert.equal(ev.path, `${dir}/f`);
  }
  const engine = new Watcher({ mask: IN_CREATE, backend: 'parcel' });
  assert.equal(engine.backendName, 'parcel');
  engine.add(fromText(dir));
  const events = engine.events();
  // parcel subscribes asynchronously (the engine does not say when): touch files until one is reported.
  let i = 0;
  const touching = setInterval(() => fs.writeFileSync(`${dir}/g${i++}`, ''), 50);
  try {
    const { value } = await events.next();
    assert.match(value.name, /^g\d+$/);
  } finally {
    clearInterval(touching);
    await engine.close();
  }
});

test('FileWatcher: constructed empty, paths added later, as watch() would', async (t) => {
  const dir = tempDir(t, 'ik-lib-');
  const w = new FileWatcher([], { events: ['create'] });
  t.after(() => w.close());
  await w.add(dir);
  fs.writeFileSync(`${dir}/f`, '');
  const [ev] = await take(w, () => true);
  assert.equal(ev.path, `${dir}/f`);
  assert.equal(await w.remove(dir), true);
});
