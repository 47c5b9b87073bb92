// The generated zsh completion, loaded by compinit in a real interactive zsh (driven through zsh/zpty):
// what a TAB offers comes from the same option tables the tools parse with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { completionOptions } from '@inotifykit/cli-kit/options';
import { DNOTIFY_OPTIONS } from '@inotifykit/dnotify';
import { PROCWATCH_OPTIONS } from '@inotifykit/procwatch';
import { tempDir } from '../lib/cli.mjs';

const here = fileURLToPath(new URL('./zsh/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const completionDir = `${root}completion/zsh/`;
const skip = spawnSync('zsh', ['-fc', 'zmodload zsh/zpty']).status === 0 ? false : 'zsh (with zsh/zpty) is not installed';

/** What a TAB after each of `lines` offers, as a list per line. */
function complete(t, lines) {
  const out = `${tempDir(t, 'ik-zsh-')}/offered`;
  execFileSync('zsh', ['-f', `${here}driver.zsh`, `${here}setup.zsh`, ...lines], {
    env: { ...process.env, IK_COMPLETION_DIR: completionDir, IK_COMPLETION_OUT: out },
    cwd: root,
    timeout: 60_000,
  });
  const offered = new Map();
  let current;
  for (const line of fs.readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
    if (line.startsWith('== ')) offered.set((current = line.slice(3)), []);
    else offered.get(current).push(line);
  }
  return lines.map((l) => offered.get(l) ?? []);
}

const spellings = (table) => completionOptions(table).flatMap((o) => o.names).sort();

test('zsh: every option of dnotify\'s and procwatch\'s tables, and only those, after a -', { skip }, (t) => {
  const [dnotify, procwatch] = complete(t, ['dnotify -', 'procwatch -']);
  assert.deepEqual([...dnotify].sort(), spellings(DNOTIFY_OPTIONS));
  assert.deepEqual([...procwatch].sort(), spellings(PROCWATCH_OPTIONS));
});

test('zsh: option values and commands as the tables say; an option given once is not offered again', { skip }, (t) => {
  const [coal, again, repeat, source, events, command, file, waitEvent] = complete(t, [
    'dnotify --coal',
    'dnotify --coalesce --c',
    'dnotify -f x -',
    'procwatch --source ',
    'procwatch -m --events start,f',
    'procwatch --ensure x -e sle',
    'dnotify -f package.js',
    'inotifywait -e close_w',
  ]);
  assert.deepEqual(coal, ['--coalesce']);
  assert.deepEqual(again, ['--create'], '--coalesce is not repeatable');
  assert.ok(repeat.includes('-f') && repeat.includes('--file'), '-f is repeatable');
  assert.deepEqual(source, ['connector', 'scan', 'auto']);
  assert.deepEqual(events, ['start,fork,']);
  assert.ok(command.includes('sleep'), `a command after -e: ${command}`);
  assert.deepEqual(file, ['package.json']);
  assert.deepEqual(waitEvent, ['close_write,'], 'the getopt tools: event names after -e');
});
