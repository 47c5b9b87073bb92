// npm pack, then npm install -g --prefix into an empty prefix, and every tool run from that PATH alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the packed tarball installs into an empty prefix and its tools run from there', { timeout: 120000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'ik-install-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  const prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, tgz)], { stdio: 'ignore' });
  const env = { ...process.env, PATH: `${prefix}/bin:/usr/bin:/bin` };
  const run = (cmd, args) => execFileSync(cmd, args, { env, encoding: 'utf8' });
  const dir = mkdtempSync(join(work, 'd-'));

  assert.match(run('inotifywait', ['--version']), /^inotifywait \(inotifykit\) /);
  // inotifywait -e create: the event once 'Watches established.' is on stderr.
  const child = spawn('inotifywait', ['-e', 'create', dir], { env });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  await new Promise((resolve) => child.stderr.on('data', (b) => String(b).includes('Watches established.') && resolve()));
  writeFileSync(join(dir, 'new'), '');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.equal(out, `${dir}/ CREATE new\n`);

  execFileSync('inotifywatch', ['-t', '1', dir], { env, stdio: 'ignore' });
  const dn = spawn('dnotify', ['-o', dir, '-e', 'echo', 'changed {}'], { env });
  let dnOut = '';
  dn.stdout.on('data', (b) => (dnOut += b));
  // dnotify prints nothing when ready: create until it has run once.
  const timer = setInterval(() => writeFileSync(join(dir, `f${Date.now()}`), ''), 100);
  assert.equal(await new Promise((resolve) => dn.on('exit', resolve)), 0);
  clearInterval(timer);
  assert.equal(dnOut, `changed ${dir}\n`);
  assert.match(run('procwatch', ['--pidof', 'node']), /^\d+/);
  if (spawnable('man')) {
    for (const page of ['inotifywait', 'fsnotifywait', 'fsnotifywatch']) {
      assert.match(run('man', ['-M', `${prefix}/share/man`, '-P', 'cat', page]), new RegExp(`${page.toUpperCase()}\\(1\\)`));
    }
  } else t.diagnostic('man is not installed: man pages not checked');

  const example = join(prefix, 'lib', 'example.mjs');
  writeFileSync(example, `import { Watcher } from 'inotifykit';\nconsole.log(typeof Watcher);\n`);
  assert.equal(run('node', [example]), 'function\n');
});

function spawnable(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
