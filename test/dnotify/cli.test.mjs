// Command-line handling: help, version, and every start-up error as a one-line message with its exit code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, tempDir } from './helpers.mjs';

let tmp;
before(() => {
  tmp = tempDir();
  fs.mkdirSync(path.join(tmp.dir, 'd'));
  fs.writeFileSync(path.join(tmp.dir, 'file'), '');
  fs.writeFileSync(path.join(tmp.dir, 'noexec'), '#!/bin/sh\n', { mode: 0o644 });
});
after(() => tmp.cleanup());

describe('--help and --version', () => {
  test('--help prints the usage on stdout and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: dnotify \[OPTION\]\.\.\. DIRECTORY\.\.\. \[-e COMMAND\.\.\.\]/);
    for (const option of ['--access', '--modify', '--create', '--delete', '--rename', '--attrib', '--all', '--execute', '--json',
      '--file', '--processes', '--queue', '--coalesce', '--times', '--once', '--recursive', '--background', '--silent', '--quiet']) {
      assert.ok(r.stdout.includes(option), `help mentions ${option}`);
    }
    assert.equal(r.stderr, '');
  });

  test('--version prints one version line first and exits 0', async () => {
    const r = await run(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^dnotify \(inotifykit\) \d+\.\d+\.\d+\n/);
  });
});

describe('start-up errors are one line on stderr with an exit status', () => {
  const cases = [
    { name: 'no directory', args: [], message: 'dnotify: no directory to watch', code: 1 },
    { name: 'missing directory', args: ['nope'], message: "dnotify: cannot watch 'nope': No such file or directory", code: 1 },
    { name: 'not a directory', args: ['file'], message: "dnotify: cannot watch 'file': Not a directory", code: 1 },
    { name: 'unknown long option', args: ['--bogus', 'd'], message: "dnotify: unrecognized option '--bogus'", code: 1 },
    { name: 'unknown long option with a value', args: ['--bogus=1', 'd'], message: "dnotify: unrecognized option '--bogus'", code: 1 },
    { name: 'unknown short option', args: ['-Cx', 'd'], message: "dnotify: invalid option -- 'x'", code: 1 },
    { name: 'missing option argument', args: ['d', '-p'], message: "dnotify: option requires an argument -- 'p'", code: 1 },
    { name: 'missing long option argument', args: ['d', '--queue'], message: "dnotify: option '--queue' requires an argument", code: 1 },
    { name: '-e without a command', args: ['d', '-e'], message: "dnotify: option '-e' requires a command", code: 1 },
    { name: 'a flag given a value', args: ['d', '--coalesce=1'], message: "dnotify: option '--coalesce' doesn't allow an argument", code: 1 },
    { name: '--json with a command', args: ['--json', 'd', '-e', 'true'], message: 'dnotify: --json cannot be used with -e', code: 1 },
    { name: '--json with -p', args: ['-p2', '--json', 'd'], message: 'dnotify: --json cannot be used with --processes', code: 1 },
    { name: 'non-numeric -p', args: ['-p', 'two', 'd'], message: "dnotify: invalid process count 'two': expected a positive number, or 0 or -1 for no limit", code: 1 },
    { name: 'negative -p', args: ['-p', '-2', 'd'], message: "dnotify: invalid process count '-2': expected a positive number, or 0 or -1 for no limit", code: 1 },
    { name: 'trailing junk in -p', args: ['-p2x', 'd'], message: "dnotify: invalid process count '2x': expected a positive number, or 0 or -1 for no limit", code: 1 },
    { name: 'negative -q', args: ['-q', '-2', 'd'], message: "dnotify: invalid queue depth '-2': expected 0 or more, or -1 for no limit", code: 1 },
    { name: 'zero -t', args: ['-t', '0', 'd'], message: "dnotify: invalid count '0': expected a positive number", code: 1 },
    { name: 'empty -t', args: ['--times=', 'd'], message: "dnotify: invalid count '': expected a positive number", code: 1 },
    { name: 'unreadable -f list', args: ['-f', 'nolist'], message: "dnotify: cannot read directory list 'nolist': No such file or directory", code: 1 },
    { name: 'command not found', args: ['d', '-e', 'no-such-command-xyz', '{}'], message: 'dnotify: no-such-command-xyz: command not found', code: 127 },
    { name: 'command not executable', args: ['d', '-e', './noexec'], message: 'dnotify: ./noexec: Permission denied', code: 126 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await run(c.args, { cwd: tmp.dir });
      assert.equal(r.stderr, c.message + '\n');
      assert.equal(r.code, c.code);
      assert.equal(r.stdout, '');
    });
  }

  test('a whole shell line given as the command gets a hint about sh -c', async () => {
    const r = await run(['d', '-e', 'echo changed > out'], { cwd: tmp.dir });
    assert.equal(r.code, 127);
    assert.equal(
      r.stderr,
      "dnotify: echo changed > out: command not found\nThe command is run without a shell; for shell syntax use: -e sh -c '...' sh {}\n",
    );
  });

  test('the first bad directory is reported, before anything is watched', async () => {
    const r = await run(['d', 'nope', 'file'], { cwd: tmp.dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "dnotify: cannot watch 'nope': No such file or directory\n");
  });
});
