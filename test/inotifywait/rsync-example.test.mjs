// The seed's rsync backup loop, run unchanged with our inotifywait first on PATH:
//   inotifywait -mrq --timefmt '%d/%m/%y %H:%M' --format '%T %f' -e close_write DIR | while read date time file; do ...; done
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { OURS, start, tempDir, waitFor, watchCount } from './helpers.mjs';

const hasRsync = spawnSync('sh', ['-c', 'command -v rsync']).status === 0;

const SCRIPT = `
inotifywait -mrq --timefmt '%d/%m/%y %H:%M' --format '%T %f' -e close_write "$SRC" | while read date time file; do
  rsync -a "$SRC"/ "$DST"/ && echo "$date $time synced $file" >> "$LOG"
done
`;

/** The inotifywait started by the pipeline (a child of the shell), found through /proc. */
function pipelineWatcher(shellPid) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      const ppid = Number(stat.replace(/^.*\) /s, '').split(' ')[1]);
      if (ppid !== shellPid) continue;
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('inotifywait')) return Number(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

test('the rsync backup loop from the seed runs unchanged', { skip: !hasRsync && 'needs rsync', timeout: 60000 }, async (t) => {
  const base = tempDir(t);
  const [src, dst, log] = ['src', 'dst', 'sync.log'].map((n) => path.join(base, n));
  fs.mkdirSync(`${src}/sub`, { recursive: true });
  fs.mkdirSync(dst);
  const env = { ...process.env, PATH: `${path.dirname(OURS)}:${process.env.PATH}`, SRC: src, DST: dst, LOG: log };
  const shell = start('/bin/bash', ['-c', SCRIPT], { cwd: base, env });
  t.after(() => shell.exited() || shell.kill('SIGKILL'));
  const watcher = await waitFor(() => pipelineWatcher(shell.pid), 'the inotifywait of the pipeline');
  t.after(() => {
    try {
      process.kill(watcher, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  // Our launcher is a shell script that execs node on bin/lib/inotifywait.cjs.
  assert.match(fs.readFileSync(`/proc/${watcher}/cmdline`, 'latin1'), /bin\/lib\/inotifywait\.cjs\0/, 'ours, found first on PATH');
  await waitFor(() => watchCount(watcher) === 2, 'src/ and src/sub/ to be watched');

  fs.writeFileSync(`${src}/a.txt`, 'alpha\n');
  fs.writeFileSync(`${src}/sub/b file.txt`, 'beta\n');
  await waitFor(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').split('\n').length > 2, 'two synced lines');
  // A directory made while running is followed (-m -r), and a file written into it afterwards is synced.
  fs.mkdirSync(`${src}/new`);
  await waitFor(() => watchCount(watcher) === 3, 'the new directory to be watched');
  fs.writeFileSync(`${src}/new/c.txt`, 'gamma\n');
  await waitFor(() => fs.readFileSync(log, 'utf8').includes('synced c.txt'), 'the third file');

  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  for (const line of lines) assert.match(line, /^\d\d\/\d\d\/\d\d \d\d:\d\d synced /);
  // `read date time file` keeps the rest of the line, spaces included, in $file.
  assert.deepEqual(lines.map((l) => l.replace(/^.* synced /, '')), ['a.txt', 'b file.txt', 'c.txt']);
  assert.equal(fs.readFileSync(`${dst}/a.txt`, 'utf8'), 'alpha\n');
  assert.equal(fs.readFileSync(`${dst}/sub/b file.txt`, 'utf8'), 'beta\n');
  assert.equal(fs.readFileSync(`${dst}/new/c.txt`, 'utf8'), 'gamma\n');

  // Ending inotifywait ends the loop, and the shell with it.
  process.kill(watcher, 'SIGTERM');
  const r = await shell.result();
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
});
