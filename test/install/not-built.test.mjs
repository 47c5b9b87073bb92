// A clone whose build never ran (npm install --ignore-scripts): one line saying so, not a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

test('the launchers of an unbuilt clone say how to build it', (t) => {
  const clone = mkdtempSync(join(tmpdir(), 'ik-unbuilt-'));
  t.after(() => rmSync(clone, { recursive: true, force: true }));
  cpSync(fileURLToPath(new URL('../../bin', import.meta.url)), join(clone, 'bin'), { recursive: true });
  mkdirSync(join(clone, 'packages'));
  for (const tool of ['inotifywait', 'inotifywatch', 'dnotify', 'procwatch']) {
    const r = spawnSync(join(clone, 'bin', tool), ['.'], { encoding: 'utf8' });
    assert.equal(r.status, 1, tool);
    assert.equal(r.stderr, `${tool}: inotifykit is not built: run 'npm run build' in ${clone} (npm install --ignore-scripts skips it)\n`);
  }
});
