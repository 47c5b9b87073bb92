// The generated bash completion, driven in a real bash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../completion/bash/', import.meta.url));

/** What completing `line` (the words typed, the last one being completed) offers. */
function complete(tool, words) {
  const script = `. '${dir}${tool}'
complete -p ${tool}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
$(complete -p ${tool} | sed -E 's/.*-F ([^ ]+).*/\\1/')
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '-c', script], { encoding: 'utf8' }).trim().split('\n');
}

test('inotifywait: options from its getopt table, event names after -e', () => {
  const [registered, ...opts] = complete('inotifywait', ['inotifywait', '--mon']);
  assert.match(registered, /-F _inotifykit_inotifywait inotifywait/);
  assert.deepEqual(opts, ['--monitor']);
  assert.deepEqual(complete('inotifywait', ['inotifywait', '-e', 'close_w']).slice(1), ['close_write']);
  assert.deepEqual(complete('inotifywait', ['inotifywait', '-e', 'create,mod']).slice(1), ['create,modify']);
  assert.deepEqual(complete('inotifywait', ['inotifywait', '--backend', 'pa']).slice(1), ['parcel']);
  assert.deepEqual(complete('inotifywait', ['inotifywait', '--backend', 'fa']).slice(1), ['fanotify']);
  assert.ok(complete('inotifywait', ['inotifywait', '--']).includes('--version'));
});

test('inotifywatch, dnotify, procwatch: their own tables', () => {
  assert.deepEqual(complete('inotifywatch', ['inotifywatch', '--per']).slice(1), ['--per-file']);
  assert.deepEqual(complete('inotifywatch', ['inotifywatch', '--by']).slice(1), ['--by-process']);
  assert.deepEqual(complete('dnotify', ['dnotify', '--coal']).slice(1), ['--coalesce']);
  assert.deepEqual(complete('procwatch', ['procwatch', '--wait-e']).slice(1), ['--wait-exit']);
});
