// Our inotifywait against the real one (3.22.6) on the command line: every option error and its exact
// text (glibc getopt's included), the order of the checks, quiet modes, timeouts, filters, path lists,
// the output file. Both run in identical directories; stdout, stderr and the exit status must match.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { compareExit, compareWithUpstream, symlinkSentinel } from './compare.mjs';
import { OURS, UPSTREAM, needUpstream, runToEnd, start, tempDir, waitFor, watchCount } from './helpers.mjs';

const touch = (p) => fs.closeSync(fs.openSync(p, 'a'));

/** Each runs to completion at once (or after a 1 s timeout): one test per command line. */
const EXITS = [
  // glibc getopt messages
  ['--bogus', '.'], ['--bogus=1', 'd'], ['--exc', 'x', 'd'], ['--excl=a', 'd'], ['--monitor=1', 'd'], ['--help=x'],
  ['--format'], ['--mon', '-t'], ['-x'], ['-mx', 'd'], ['-m\xe9', 'd'], ['--fromf'], ['--e'], ['--ev'], ['--f'], ['--i'],
  ['--in'], ['--no'], ['--t'], ['--fi'], ['--ti', '1', 'd'], ['-e'], ['-t'], ['-o'], ['--', '-m'], ['-'],
  // inotifywait's own parse errors, in the order met
  ['-f', '.'], ['--filename'], ['-t', 'abc', '.'], ['-t', '', '.'], ['-t', '1x', 'd'], ['-t', ' ', 'd'], ['-t', '-', 'd'],
  ['-t', '0x10', 'd'], ['-t', '99999999999999999999', 'd'], ['-t', '99999999999999999999x', 'd'], ['-o', 'a', '-o', 'b', '.'],
  ['--fromfile', 'a', '--fromfile', 'b'], ['-e', 'foo', '.'], ['-e', 'create,foo', 'd'], ['-e', 'mod', 'd'], ['-e', 'CREATE', '-e', 'Nope', 'd'],
  ['-c', '--format', 'x', '-f'], ['-c', '--format', 'x', '-t', 'abc'], ['-c', '--format', 'x', '-e', 'foo'], ['-o', 'a', '-c', '--format', 'x', '-o', 'b'],
  // post-loop checks, also after a getopt error
  ['-c', '--format', '%w', '.'], ['--timefmt', '%H', '.'], ['--no-newline', '.'], ['--format', '%T', 'd'],
  ['--format', '%%T', '-d'], ['--format', '%%T', '--timefmt', 'x', '-c'], ['-d', 'd'], ['-d', '-x'],
  ['--include', 'a', '--exclude', 'b', 'd'], ['--exclude', 'a', '--excludei', 'b', 'd'], ['--include', 'a', '--includei', 'b', 'd'],
  ['--exclude', 'a', '--excludei', 'b', '--include', 'c', '--includei', 'd', '--csv', '--format', 'x', '--no-newline', '--timefmt', 'y', '-d'],
  ['--no-newline', '--timefmt', 'y', '-d'], ['--timefmt', 'y', '-d'], ['--format', '%T', '-d'],
  ['--exclude', 'a', '--excludei', 'b', '--bogus'], ['--exclude', 'a', '--exclude', 'b', '--bogus', 'd'],
  ['--exclude', 'a', '--exclude', 'b', '-d'], ['--exclude', 'a', '--exclude', 'b', '--exclude', 'c'],
  ['--excludei', 'a', '--excludei', 'b', '-t', '1', '-q', 'd'], ['--include', 'a', '--include', 'b', '-t', '1', '-q', 'd'],
  // regex, format, paths, output file
  ['--exclude', '(', 'd'], ['--include', '[', 'd'], ['--excludei', '(', 'd'], ['--exclude', '(', '--format', '', '--no-newline'],
  ['--exclude', '(', '-o', '/nonexistent/x', 'd'], ['--format', '', '--no-newline', 'd'], ['--no-newline', '--format', '%w%f', 'd'],
  ['--no-newline', '--format', '%w', 'd'], ['-t1', '--format', 'x'.repeat(4095), 'd'], ['--format', 'x'.repeat(4096), 'd'],
  ['-t1', '--no-newline', '--format', 'x'.repeat(4096), 'd'], ['--no-newline', '--format', 'x'.repeat(4097), 'd'],
  ['-m'], ['@'], [''], ['@d'], ['nosuch'], ['d', 'nosuch'], ['-o', '/nonexistent/x', 'd'], ['-o', '/nonexistent/x'],
  ['-d', '-o', 'nofile'], ['-d', '-o', 'nofile', 'nosuchdir'], ['-d', '-o', '/nonexistent/dir/log', 'd'],
  // accepted forms, ended by -t (exit 2)
  ['-t', '1', '-q', '--', 'd'], ['d', '-t', '1', '-q'], ['-qt1', 'd'], ['-ecreate', '-t1', '-q', 'd'], ['--timeout=1', '--quiet', 'd'],
  ['--timeo', '1', '--qu', 'd'], ['-t', ' 1', 'd'], ['-t', '+1', '-q', 'd'], ['-F', '-S', '-I', '-t', '1', '-q', 'd'],
  // -I/-F/-S act as in 4.25 (test/fsnotifywait); ending with -I, inotify watches, as 3.22 always did.
  ['--fanotify', '--filesystem', '--inotify', '-t1', 'd'], ['-t', '1', 'f'], ['-t', '1', '-qq', 'd'], ['-q', '-q', '-q', '-t1', 'd'],
  ['-t', '1', '--fromfile', 'nosuch', 'd'], ['-t', '1', '--fromfile', 'd', 'd'], ['-r', '-t', '1', 'd', '@d/x', '@', '@nosuch'],
  ['-r', '-t', '1', 'nosuch'], ['-t', '1', '-e', 'create', '-e', ',delete', 'd'], ['--event=', '-t', '1', 'd'],
];

describe('command line, compared with inotify-tools 3.22.6', { skip: needUpstream, concurrency: 4, timeout: 120000 }, () => {
  for (const args of EXITS) {
    test(`inotifywait ${JSON.stringify(args).slice(1, -1).slice(0, 120)}`, { timeout: 20000 }, async (t) => {
      await compareExit(t, args, { tree: { d: null, f: '' } });
    });
  }

  test('POSIXLY_CORRECT: options stop at the first operand, as in glibc', { timeout: 60000 }, async (t) => {
    await compareExit(t, ['d', '-t', '1'], { env: { ...process.env, POSIXLY_CORRECT: '1' } });
  });

  test('--help: the same text on stdout (ours adds an extension section after it), exit 1 (A54)', { timeout: 60000 }, async (t) => {
    for (const args of [['-h'], ['--help'], ['--he', 'd'], ['--exclude', 'a', '--exclude', 'b', '-h'], ['-mh', '-x'], ['--format', 'x', '-h']]) {
      const { ours, upstream } = await compareWithUpstream(t, { tree: { d: null }, args, end: 'exit', ready: 'none', compare: false });
      assert.equal(upstream.code, 1);
      assert.equal(ours.code, 1);
      assert.equal(ours.stderr, upstream.stderr);
      const text = ours.stdout.toString('latin1');
      assert.ok(text.startsWith(upstream.stdout.toString('latin1')), 'the 3.22 help text comes first, unchanged');
      assert.match(text.slice(upstream.stdout.length), /^\nExtensions \(inotifykit/);
      assert.match(text, /^inotifywait 3\.22\.6\.0\n/);
    }
  });

  test('-t -1 and -t 4294967296 wait forever, like 3.22 (A52)', { timeout: 60000 }, async (t) => {
    for (const value of ['-1', '4294967296']) {
      const { ours, upstream } = await compareWithUpstream(t, {
        tree: { f: '' },
        args: ['-t', value, 'f'],
        // Both are still running well after a 1 s timeout would have ended them: the wait is the test.
        act: () => new Promise((r) => setTimeout(r, 1500)),
        end: 'SIGTERM',
        sentinel: false,
      });
      assert.equal(ours.signal, 'SIGTERM');
      assert.equal(upstream.signal, 'SIGTERM');
    }
  });

  test('-m -t 1: every event restarts the timeout (A23)', { timeout: 60000 }, async (t) => {
    const started = Date.now();
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-t', '1', 'd'],
      act: async (dir) => {
        touch(`${dir}/d/a`);
        await new Promise((r) => setTimeout(r, 600)); // the gap under test: shorter than -t, twice longer than half of it
        touch(`${dir}/d/b`);
      },
      end: 'exit',
    });
    assert.ok(Date.now() - started > 1500);
  });

  test('-t restarts on events a regex drops, too (§7.9)', { timeout: 60000 }, async (t) => {
    for (const mode of [[], ['-m']]) {
      const started = {};
      const ended = {};
      const { ours } = await compareWithUpstream(t, {
        tree: { d: null },
        args: [...mode, '-t', '1', '--exclude', 'skip', 'd'],
        act: async (dir, run) => {
          started[run.bin] = Date.now();
          run.child.on('exit', () => (ended[run.bin] = Date.now()));
          for (let i = 0; i < 5; i++) {
            touch(`${dir}/d/skip${i}`);
            await new Promise((r) => setTimeout(r, 300)); // the gaps under test: 1.5 s in all, longer than -t 1
          }
        },
        end: 'exit',
      });
      assert.equal(ours.code, 2);
      const elapsed = ended[OURS] - started[OURS];
      assert.ok(elapsed > 2000, `ended ${elapsed} ms after the first dropped event: the timeout restarted`);
    }
  });

  test('-q hides the setup lines (A24), -qq also the events (A25)', { timeout: 60000 }, async (t) => {
    for (const q of ['-q', '-qq', '--quiet']) {
      await compareWithUpstream(t, { tree: { d: null }, args: [q, '-e', 'create', 'd'], ready: 1, act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
    }
  });

  test('-s: setup lines go to syslog, not stderr (A84)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-s', '-e', 'create', 'd'], ready: 1, act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
  });

  test('--exclude matches %w%f as a POSIX ERE (A26, A29)', { timeout: 60000 }, async (t) => {
    for (const re of ['\\.tmp$', '^d/', 'b|c', '[[:upper:]]', 'x{2}', '^d/a\\.']) {
      await compareWithUpstream(t, {
        // `zz`: watched too, for the sentinel, which no regex here drops (^d/ drops all in d).
        tree: { d: null, zz: null },
        args: ['-m', '-e', 'create', '--exclude', re, 'd', 'zz'],
        act: (dir) => ['a.tmp', 'b.txt', 'c.TMP', 'xx', 'X'].forEach((n) => touch(`${dir}/d/${n}`)),
        sentinel: symlinkSentinel('zz/s'),
      });
    }
  });

  test('--excludei, --include, --includei (A27, A28)', { timeout: 60000 }, async (t) => {
    for (const args of [['--excludei', '\\.tmp$'], ['--include', '\\.txt$'], ['--includei', '\\.TXT$'], ['--include', '.*\\.(txt|log)$']]) {
      await compareWithUpstream(t, {
        tree: { d: null },
        args: ['-m', '-e', 'create', ...args, 'd'],
        act: (dir) => {
          ['a.tmp', 'b.txt', 'c.TMP', 'd.log', 'E.TXT'].forEach((n) => touch(`${dir}/d/${n}`));
          fs.mkdirSync(`${dir}/d/dir.txt`);
          fs.mkdirSync(`${dir}/d/other`);
        },
        sentinel: symlinkSentinel('d/zz.txt'), // kept by each of these filters
      });
    }
  });

  test('a repeated --exclude warns and only the last counts (A30)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-e', 'create', '--exclude', 'a', '--exclude', 'b', 'd'],
      act: (dir) => ['a', 'b'].forEach((n) => touch(`${dir}/d/${n}`)),
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('--exclude with -r: a matching new directory is not watched (A79)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-r', '-e', 'create', '--exclude', 'skip$', 'd'],
      act: async (dir, run) => {
        fs.mkdirSync(`${dir}/d/skip`);
        fs.mkdirSync(`${dir}/d/ok`);
        await waitFor(() => watchCount(run.pid) === 2, 'the new directory to be watched');
        touch(`${dir}/d/skip/f`);
        touch(`${dir}/d/ok/g`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('--exclude is not a pruning: excluded directories found at start-up are still watched', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/skip': null },
      args: ['-m', '-r', '-e', 'create', '--exclude', 'skip$', 'd'],
      act: (dir) => touch(`${dir}/d/skip/f`),
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('@ exclusions prune the recursive walk (A34)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/skip/inner': null, 'd/keep': null },
      args: ['-m', '-r', '-e', 'create', 'd', '@d/skip/'],
      act: (dir) => ['d/skip/f', 'd/skip/inner/f', 'd/keep/f'].forEach((p) => touch(`${dir}/${p}`)),
      sentinel: symlinkSentinel('d/keep/zz-sentinel'),
    });
  });

  test('--fromfile: paths and @exclusions, blank lines skipped, list first (A35)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd1': null, 'd2/skip': null, d3: null, list: 'd1\n@d2/skip\n\n@\nd2\n' },
      args: ['-m', '-r', '-e', 'create', '--fromfile', 'list', 'd3'],
      act: (dir) => ['d1/a', 'd2/b', 'd2/skip/c', 'd3/e'].forEach((p) => touch(`${dir}/${p}`)),
      sentinel: symlinkSentinel('d3/zz-sentinel'),
    });
  });

  test('--fromfile -: the list on stdin (A36)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, { tree: { d1: null }, args: ['-e', 'create', '--fromfile', '-'], stdin: 'd1\n', act: (dir) => touch(`${dir}/d1/a`), end: 'exit' });
  });

  test('--fromfile: raw bytes, a CR kept, no final newline', { timeout: 60000 }, async (t) => {
    const weird = Buffer.from([0x64, 0xff, 0x0a]); // "d\xff\n"
    await compareWithUpstream(t, {
      tree: (dir) => {
        fs.mkdirSync(Buffer.from(`${dir}/d\xff`, 'latin1'));
        fs.mkdirSync(`${dir}/e\r`);
        fs.writeFileSync(`${dir}/list`, Buffer.concat([weird, Buffer.from('e\r')]));
      },
      args: ['-m', '-e', 'create', '--fromfile', 'list'],
      act: (dir) => {
        touch(Buffer.from(`${dir}/d\xff/a`, 'latin1'));
        touch(`${dir}/e\r/b`);
      },
      sentinel: symlinkSentinel('e\r/zz-sentinel'),
    });
  });

  test('raw bytes in a path argument', { timeout: 60000 }, async (t) => {
    // spawn() cannot pass non-UTF-8 arguments; a shell can.
    const run = async (bin, dir) => {
      fs.mkdirSync(Buffer.from(`${dir}/d\xfe`, 'latin1'));
      const r = start('/bin/sh', ['-c', `exec "$0" -e create "$(printf 'd\\376')"`, bin], { cwd: dir });
      await r.waitStderr('Watches established.');
      touch(Buffer.from(`${dir}/d\xfe/x`, 'latin1'));
      return r.result(15000);
    };
    const base = tempDir(t);
    fs.mkdirSync(`${base}/a`);
    fs.mkdirSync(`${base}/b`);
    const [ours, upstream] = await Promise.all([run(OURS, `${base}/a`), run(UPSTREAM, `${base}/b`)]);
    assert.equal(ours.stdout.toString('latin1'), 'd\xfe/ CREATE x\n');
    assert.deepEqual(ours, upstream);
  });

  test('-o appends to the output file, stdout stays empty (A38)', { timeout: 60000 }, async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null, 'ev.log': 'earlier line\n' },
      args: ['-m', '-e', 'create', '-o', 'ev.log', 'd'],
      act: (dir) => ['f', 'g'].forEach((n) => touch(`${dir}/d/${n}`)),
      files: ['ev.log'],
      // The output is in the file; compare once both have written the sentinel's line there.
      sentinel: symlinkSentinel('d/zz-sentinel', { file: 'ev.log' }),
    });
  });

  test('-o creates the file with mode 0600', { timeout: 60000 }, async (t) => {
    const base = tempDir(t);
    fs.mkdirSync(`${base}/d`);
    const r = start(OURS, ['-e', 'create', '-o', 'new.log', 'd'], { cwd: base });
    await r.waitStderr('Watches established.');
    touch(`${base}/d/x`);
    assert.equal((await r.result(15000)).code, 0);
    assert.equal(fs.readFileSync(`${base}/new.log`, 'latin1'), 'd/ CREATE x\n');
    assert.equal(fs.statSync(`${base}/new.log`).mode & 0o777, 0o600 & ~process.umask());
  });
});

describe('runs that are quick to decide, without the real tool', () => {
  test('an unknown option fails fast', async () => {
    const r = await runToEnd(OURS, ['--bogus']);
    assert.deepEqual([r.code, r.stderr], [1, "inotifywait: unrecognized option '--bogus'\n"]);
  });
});
