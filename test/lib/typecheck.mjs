// tsc --strict on scratch files, compiled as a consumer's project would compile them against the built .d.ts
// files: for tests of what the compiler accepts and refuses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = path.join(root, 'node_modules/typescript/bin/tsc');
const run = promisify(execFile);

/**
 * A scratch directory inside the repository, next to the test file (so `@inotifykit/event-core` resolves as it
 * would for an installed package: through node_modules), removed after the test.
 */
export function scratch(t, besides) {
  const dir = fs.mkdtempSync(path.join(besides, '.scratch-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** tsc --strict on `files`; emits into `outDir` when given. Fails the test with tsc's output. */
export async function tsc(files, outDir) {
  const args = [
    TSC, '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--lib', 'es2022,esnext.disposable', '--types', 'node', '--noUnusedLocals',
    ...(outDir ? ['--outDir', outDir] : ['--noEmit']), ...files,
  ];
  try {
    await run(process.execPath, args, { cwd: root });
  } catch (err) {
    assert.fail(`tsc --strict failed:\n${err.stdout}${err.stderr}`);
  }
}
