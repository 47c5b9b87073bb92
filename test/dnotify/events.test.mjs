// Event selection: each trigger kind fires on its own kind of change and not on the others.
//
// Method: dnotify watches two directories, `quiet` and `loud`, with `-o` (run once, then exit). Every change
// that must NOT trigger is made in `quiet` first, then the change that must trigger in `loud`. The kernel
// queue is ordered, so the one run logs `loud` only if none of the earlier changes triggered.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { LOG_DIR, caseDirs, logLines, start, touch } from './helpers.mjs';

/** One change of each kind, made on files prepared in `dir` beforehand. */
const ACTIONS = {
  access: (dir) => fs.readFileSync(path.join(dir, 'read-me')),
  modify: (dir) => fs.appendFileSync(path.join(dir, 'write-me'), 'more'),
  attrib: (dir) => fs.chmodSync(path.join(dir, 'chmod-me'), 0o600),
  create: (dir) => touch(path.join(dir, 'new-file')),
  delete: (dir) => fs.unlinkSync(path.join(dir, 'delete-me')),
  rename: (dir) => fs.renameSync(path.join(dir, 'rename-me'), path.join(dir, 'renamed')),
};

function prepare(dir) {
  fs.mkdirSync(dir);
  for (const name of ['read-me', 'write-me', 'chmod-me', 'delete-me', 'rename-me']) {
    fs.writeFileSync(path.join(dir, name), 'content');
  }
}

const ALL = Object.keys(ACTIONS);
const except = (...kinds) => ALL.filter((kind) => !kinds.includes(kind));

// flags → the change that must fire, and the changes that must not.
const CASES = [
  { flags: ['-A'], fires: 'access', silent: except('access') },
  { flags: ['--access'], fires: 'access', silent: except('access') },
  { flags: ['-M'], fires: 'modify', silent: except('modify') },
  { flags: ['-C'], fires: 'create', silent: except('create', 'rename') },
  { flags: ['-C'], fires: 'rename', silent: [], why: 'a file moved in counts as created' },
  { flags: ['-D'], fires: 'delete', silent: except('delete', 'rename') },
  { flags: ['-D'], fires: 'rename', silent: [], why: 'a file moved out counts as deleted' },
  { flags: ['-R'], fires: 'rename', silent: except('rename') },
  { flags: ['-B'], fires: 'attrib', silent: except('attrib') },
  { flags: ['--attrib'], fires: 'attrib', silent: except('attrib') },
  { flags: [], fires: 'create', silent: ['access', 'modify', 'attrib'], why: 'default is create and delete' },
  { flags: [], fires: 'delete', silent: ['access', 'modify', 'attrib'], why: 'default is create and delete' },
  { flags: ['-MB'], fires: 'attrib', silent: ['access', 'create', 'delete', 'rename'], why: 'kinds combine' },
  { flags: ['-M', '-B'], fires: 'modify', silent: ['access', 'create', 'delete', 'rename'], why: 'kinds combine' },
  ...ALL.map((kind) => ({ flags: ['-a'], fires: kind, silent: [], why: '-a selects everything' })),
];

const caseDir = caseDirs();

describe('each trigger kind fires, unselected kinds do not', () => {
  for (const c of CASES) {
    const label = `${c.flags.join(' ') || '(no flag)'}: ${c.fires} fires` +
      (c.silent.length ? `; ${c.silent.join(', ')} do not` : '') + (c.why ? ` (${c.why})` : '');
    test(label, async () => {
      const base = caseDir();
      const quiet = path.join(base, 'quiet');
      const loud = path.join(base, 'loud');
      prepare(quiet);
      prepare(loud);
      const log = path.join(base, 'log');
      const proc = start([...c.flags, '-o', quiet, loud, '-e', ...LOG_DIR], { env: { LOG: log } });
      await proc.ready(2);
      for (const kind of c.silent) ACTIONS[kind](quiet);
      ACTIONS[c.fires](loud);
      const { code } = await proc.finished();
      assert.equal(proc.stderr(), '');
      assert.equal(code, 0);
      assert.deepEqual(logLines(log), [loud]);
    });
  }
});
