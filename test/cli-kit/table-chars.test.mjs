// --table draws ASCII borders when the locale is not UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/', import.meta.url));
const run = (tool, args, locale) =>
  execFileSync(`${bin}${tool}`, args, { env: { ...process.env, LANG: '', LC_CTYPE: '', LC_ALL: locale, TERM: 'dumb' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

test('inotifywatch --table and procwatch --table: ASCII under LC_ALL=C, boxes under C.UTF-8', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ik-table-'));
  const ascii = run('inotifywatch', ['--table', '-t', '1', dir], 'C');
  assert.match(ascii, /^\+-+\+/);
  assert.doesNotMatch(ascii, /[^\x00-\x7f]/);
  assert.match(run('procwatch', ['--table', '-x', 'node'], 'C'), /^\+-+\+/);
  assert.match(run('procwatch', ['--table', '-x', 'node'], 'C.UTF-8'), /^┌/);
});
