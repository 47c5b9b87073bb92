// dnotify's faults: one line on stderr, the exit status, no stack frame or Node error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { assertOneLine, startTool } from '../lib/cli.mjs';
import { DNOTIFY } from './helpers.mjs';

test('-f / (a directory as the list): glibc\'s words, not Node\'s EISDIR text', async () => {
  const res = await startTool(DNOTIFY, ['-f', '/', '-e', 'true']).result(30000);
  assertOneLine(assert, res.stderr, /^dnotify: cannot read directory list '\/': Is a directory$/);
  assert.doesNotMatch(res.stderr, /EISDIR|illegal operation/);
  assert.equal(res.code, 1);
});

for (const flag of ['--help', '--version']) {
  test(`${flag} on a full disk: one line, exit 1`, async () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const res = await startTool(DNOTIFY, [flag], { stdout: full }).result(30000);
      assertOneLine(assert, res.stderr, /^dnotify: Failed to write to standard output: No space left on device$/);
      assert.equal(res.code, 1);
    } finally {
      fs.closeSync(full);
    }
  });
}
