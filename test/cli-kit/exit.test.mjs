// The one error → stderr → exit path every CLI ends through (cli-kit's runMain), run in a real child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function run(body, env = {}) {
  const script = `
    import { runMain } from '@inotifykit/cli-kit';
    import { InotifyKitError } from '@inotifykit/event-core';
    runMain(async () => { ${body} }, { prefix: 'tool: ' });`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'latin1', env: { ...process.env, ...env } });
}

test('a typed error: prefix, message bytes, hint line, its exit code', () => {
  const r = run("throw new InotifyKitError('cannot watch \\u00e9', 'raise fs.inotify.max_user_watches', { exitCode: 3 });");
  assert.equal(r.status, 3);
  assert.equal(r.stderr, 'tool: cannot watch \xc3\xa9\nraise fs.inotify.max_user_watches\n');
});

test('a bug: one line that says so, status 1, no stack frames unless INOTIFYKIT_DEBUG=1', () => {
  const r = run("throw new TypeError('x is undefined');");
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'tool: internal error: x is undefined\n');
  const debug = run("throw new TypeError('x is undefined');", { INOTIFYKIT_DEBUG: '1' });
  assert.match(debug.stderr, /^tool: internal error: x is undefined\nTypeError: x is undefined\n\s+at /);
});

test('the status main resolves to is the exit status, and stderr stays empty', () => {
  const r = run('return 7;');
  assert.equal(r.status, 7);
  assert.equal(r.stderr, '');
});
