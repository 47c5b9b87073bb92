// The library as its users meet it: the README's examples and an example consumer type-check under
// `tsc --strict` against the built .d.ts files, and the consumer runs against the real kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTool, tempDir } from '../../lib/cli.mjs';
import { scratch as scratchBeside, tsc } from '../../lib/typecheck.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const scratch = (t) => scratchBeside(t, here);

test('every TypeScript example in the package README type-checks under tsc --strict', async (t) => {
  const readme = fs.readFileSync(path.join(root, 'packages/event-core/README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 6, `the README has its examples (found ${blocks.length})`);
  const dir = scratch(t);
  const files = blocks.map((code, i) => {
    const file = path.join(dir, `example-${i}.ts`);
    fs.writeFileSync(file, code.includes('export') ? code : `${code}\nexport {};\n`);
    return file;
  });
  await tsc(files);
});

test('a misspelt event name does not compile', async (t) => {
  const dir = scratch(t);
  const file = path.join(dir, 'bad.ts');
  fs.writeFileSync(file, "import { watch } from '@inotifykit/event-core';\nwatch('.', { events: ['craete'] });\n");
  await assert.rejects(tsc([file]), /craete/);
});

test('the example consumer compiles under tsc --strict and runs against the kernel: events, moves, bytes, abort, close()', async (t) => {
  const out = scratch(t);
  await tsc([path.join(here, 'consumer.ts')], out);
  const program = path.join(out, 'consumer.js');

  for (const ending of ['STOP', 'CLOSE']) {
    const dir = tempDir(t, 'ik-lib-');
    const c = startTool(process.execPath, [program, dir]);
    t.after(() => c.exited() || c.kill('SIGKILL'));
    await c.waitStdout('ready inotify\n');
    fs.mkdirSync(`${dir}/sub`);
    await c.waitStdout(`create ${dir}/sub dir`);
    fs.writeFileSync(`${dir}/sub/café`, 'x');
    fs.writeFileSync(`${dir}/skip.tmp`, 'x');
    fs.renameSync(`${dir}/sub/café`, `${dir}/b`);
    fs.writeFileSync(Buffer.from(`${dir}/\xff`, 'latin1'), '');
    fs.writeFileSync(`${dir}/${ending}`, '');
    const { code, stdout, stderr } = await c.result(10_000);
    assert.equal(stderr, '');
    assert.equal(code, 0, 'the program ends by itself once the loop is over');
    // The ending file's close_write may come before or after the end: not compared.
    const lines = stdout.toString().trimEnd().split('\n').filter((l) => !l.startsWith(`close_write ${dir}/${ending} `));
    assert.deepEqual(lines, [
      'ready inotify',
      `create ${dir}/sub dir name=sub hex=737562`,
      `create ${dir}/sub/café name=café hex=636166c3a9`,
      `close_write ${dir}/sub/café name=café hex=636166c3a9`,
      `move ${dir}/sub/café -> ${dir}/b`,
      `create ${dir}/\ufffd name=\ufffd hex=ff`,
      `close_write ${dir}/\ufffd name=\ufffd hex=ff`,
      `create ${dir}/${ending} name=${ending} hex=${Buffer.from(ending).toString('hex')}`,
      'ended',
    ]);
  }
});
