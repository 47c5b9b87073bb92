// New and moved-in directories, side by side with inotify-tools 3.22.6: the lines inotifywait's walk of a
// new directory prints (OPEN/ACCESS/CLOSE_NOWRITE,ISDIR on its parent), a directory moved in from outside
// (only MOVED_TO,ISDIR: what it held is no news), the same output in every run (no event of our own
// reading ever leaks).
import { test } from 'node:test';
import fs from 'node:fs';
import { compareWithUpstream } from './compare.mjs';
import { needUpstream } from './helpers.mjs';

// No sentinel ends these (see compareWithUpstream): the walk's lines come from each tool's own reading of
// the new directory, after it has read the CREATE, so they would follow any sentinel made with the act.
const mkdirNew = (dir) => fs.mkdirSync(`${dir}/d/n`);
const moveIn = (dir) => fs.renameSync(`${dir}/src`, `${dir}/d/m`);
const MOVED_TREE = { d: null, src: null, 'src/s': null, 'src/s/deep': null, 'src/a': 'x', 'src/s/b': '' };

test('new and moved-in directories, compared with inotify-tools 3.22.6', { skip: needUpstream }, async (t) => {
  for (let run = 1; run <= 3; run++) {
    await t.test(`mkdir: the walk's OPEN, ACCESS, CLOSE_NOWRITE lines, once each (run ${run})`, (t) =>
      compareWithUpstream(t, { tree: { d: null }, args: ['-m', '-r', 'd'], act: mkdirNew }));
    await t.test(`-e access: one ACCESS,ISDIR line per new directory (run ${run})`, (t) =>
      compareWithUpstream(t, { tree: { d: null }, args: ['-m', '-r', '-e', 'access', 'd'], act: mkdirNew }));
    await t.test(`a directory moved in: MOVED_TO,ISDIR and the walk's lines, nothing for what it held (run ${run})`, (t) =>
      compareWithUpstream(t, { tree: MOVED_TREE, args: ['-m', '-r', 'd'], act: moveIn }));
  }
  await t.test('-e create,moved_to: a moved-in tree prints one line', (t) =>
    compareWithUpstream(t, { tree: MOVED_TREE, args: ['-m', '-r', '-e', 'create,moved_to', 'd'], act: moveIn }));
  await t.test('a new directory, then files written in it once it is watched: the same lines', (t) =>
    compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-r', '-e', 'create,close_write,access', 'd'],
      act: async (dir, run) => {
        mkdirNew(dir);
        // Both tools have watched d/n once they print its ACCESS line.
        await run.waitStdout('d/ ACCESS,ISDIR n\n');
        fs.writeFileSync(`${dir}/d/n/f`, 'data');
      },
    }));
});
