// `-r d ./d`: the second walk reads directories that are already watched, so the kernel reports our own
// walk's OPEN/ACCESS/CLOSE_NOWRITE. Counted as inotifywatch counts them (it reads in glibc readdir's
// rhythm: getdents, the subdirectories, getdents again), and the same in every run.
import { test } from 'node:test';
import { compareWithUpstream } from './compare.mjs';
import { needUpstream } from './helpers.mjs';

const TREE = { d: null, 'd/s1': null, 'd/s1/s2': null, 'd/s3': null, 'd/s1/f': '', 'd/g': 'x' };

test('-r d ./d: the same counts as inotifywatch, run after run', { skip: needUpstream }, async (t) => {
  for (let run = 1; run <= 3; run++) {
    await t.test(`all events (run ${run})`, (t) => compareWithUpstream(t, { tree: TREE, args: ['-r', 'd', './d'] }));
    await t.test(`-e access (run ${run})`, (t) => compareWithUpstream(t, { tree: TREE, args: ['-r', '-e', 'access', 'd', './d'] }));
  }
});
