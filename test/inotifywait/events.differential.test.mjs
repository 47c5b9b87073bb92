// Our inotifywait against the real one (3.22.6) on the same event scenarios (Appendix G transcripts of the
// reference): stdout byte for byte (cookies and times normalised), stderr and exit status.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collapseRepeats, compareWithUpstream, lineSeen, normaliseCookies, symlinkSentinel } from './compare.mjs';
import { needUpstream, waitFor, watchCount } from './helpers.mjs';

const touch = (p) => fs.closeSync(fs.openSync(p, 'a'));
/** inotify-tools loses what is created in a new directory before it is watched: compare that with --no-rescan. */
const classicRecursion = (args) => (dir, name) => (name === 'ours' ? ['--no-rescan', ...args] : args);
/** A scenario tree: an empty file `target` and a symlink `link` to it. */
const linkToFile = (dir) => {
  fs.writeFileSync(`${dir}/target`, '');
  fs.symlinkSync('target', `${dir}/link`);
};

describe('events, compared with inotify-tools 3.22.6', { skip: needUpstream, concurrency: 4 }, () => {
  test('single event (A01)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['d'], act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
  });

  test('-m: write, read, attrib, delete, subdir, listing (A02)', async (t) => {
    // `ls` reads the directory with several getdents calls; identical ACCESS,ISDIR events in a row may
    // be merged by the kernel depending on reader speed, so repeats are collapsed.
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', 'd'],
      normalise: collapseRepeats,
      act: (dir) => {
        fs.writeFileSync(`${dir}/d/f`, 'hi\n');
        fs.readFileSync(`${dir}/d/f`);
        fs.chmodSync(`${dir}/d/f`, 0o600);
        fs.unlinkSync(`${dir}/d/f`);
        fs.mkdirSync(`${dir}/d/sub`);
        fs.rmdirSync(`${dir}/d/sub`);
        fs.readdirSync(`${dir}/d`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('watched file: trailing space, ATTRIB then DELETE_SELF (A03)', async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/f': 'x' },
      args: ['-m', 'd/f'],
      act: (dir) => {
        fs.appendFileSync(`${dir}/d/f`, 'x');
        fs.unlinkSync(`${dir}/d/f`);
      },
      sentinel: lineSeen('d/f DELETE_SELF \n'), // no watch is left
    });
  });

  test('moves between two watched directories (A04)', async (t) => {
    await compareWithUpstream(t, {
      tree: { a: null, b: null, out: null },
      args: ['-m', 'a', 'b'],
      act: (dir) => {
        touch(`${dir}/a/x`);
        fs.renameSync(`${dir}/a/x`, `${dir}/b/y`);
        fs.renameSync(`${dir}/b/y`, `${dir}/b/z`);
        fs.renameSync(`${dir}/b/z`, `${dir}/out/z`);
      },
      sentinel: symlinkSentinel('b/zz-sentinel'),
    });
  });

  test('moves with %c: a pair shares its cookie (A05)', async (t) => {
    const { ours } = await compareWithUpstream(t, {
      tree: { a: null, b: null },
      args: ['-m', '-e', 'move', '--format', '%w|%f|%e|%c', 'a', 'b'],
      normalise: normaliseCookies(/\|([0-9a-f]+)$/gm),
      act: (dir) => {
        touch(`${dir}/a/x`);
        fs.renameSync(`${dir}/a/x`, `${dir}/b/y`);
        fs.renameSync(`${dir}/b/y`, `${dir}/b/z`);
      },
      sentinel: lineSeen('b/|z|MOVED_TO|'),
    });
    const cookies = ours.stdout.toString().trim().split('\n').map((l) => l.split('|')[3]);
    assert.equal(cookies[0], cookies[1]);
    assert.notEqual(cookies[1], cookies[2]);
  });

  test('watched root deleted, -m keeps running with no watch (A06)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-m', 'd'], act: (dir) => fs.rmdirSync(`${dir}/d`), sentinel: lineSeen('d/ DELETE_SELF \n') });
  });

  test('watched root deleted, -m -t 1 ends with 2 (A07)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-m', '-t', '1', 'd'], act: (dir) => fs.rmdirSync(`${dir}/d`), end: 'exit' });
  });

  test('watched root deleted, single event: DELETE_SELF, 0 (A08)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['d'], act: (dir) => fs.rmdirSync(`${dir}/d`), end: 'exit' });
  });

  test('root deleted while only modify is asked for: exit 1, nothing printed (A09)', async (t) => {
    const { ours } = await compareWithUpstream(t, { tree: { d: null }, args: ['-e', 'modify', 'd'], act: (dir) => fs.rmdirSync(`${dir}/d`), end: 'exit' });
    assert.equal(ours.code, 1);
  });

  test('watched file deleted, only modify asked for: exit 1 (A10)', async (t) => {
    await compareWithUpstream(t, { tree: { f: 'x' }, args: ['-e', 'modify', 'f'], act: (dir) => fs.unlinkSync(`${dir}/f`), end: 'exit' });
  });

  test('first event requested although not the first kind asked for (A78)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-e', 'create', '-e', 'delete_self', 'd'], act: (dir) => fs.rmdirSync(`${dir}/d`), end: 'exit' });
  });

  test('-e ignored is printed when asked for (A80)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-m', '-e', 'ignored', '-e', 'delete_self', 'd'], act: (dir) => fs.rmdirSync(`${dir}/d`), sentinel: lineSeen('d/ IGNORED \n') });
  });

  test('-r: new subdirectory followed, renamed, its events (A11, with --no-rescan)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: classicRecursion(['-m', '-r', 'd']),
      act: async (dir, run) => {
        fs.mkdirSync(`${dir}/d/sub`);
        await waitFor(() => watchCount(run.pid) === 2, 'the new directory to be watched');
        touch(`${dir}/d/sub/f`);
        fs.renameSync(`${dir}/d/sub`, `${dir}/d/sub2`);
        touch(`${dir}/d/sub2/g`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('-r: directory moved out of the tree, another moved in (A13, with --no-rescan)', async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/sub': null },
      args: classicRecursion(['-m', '-r', 'd']),
      act: async (dir, run) => {
        fs.renameSync(`${dir}/d/sub`, `${dir}/outside`);
        await waitFor(() => watchCount(run.pid) === 1, 'the moved-out directory to be unwatched');
        touch(`${dir}/outside/f`);
        fs.mkdirSync(`${dir}/in2`);
        fs.renameSync(`${dir}/in2`, `${dir}/d/in2`);
        await waitFor(() => watchCount(run.pid) === 2, 'the moved-in directory to be watched');
        touch(`${dir}/d/in2/g`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('-r: a directory moved between two watched roots keeps being watched (A83)', async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/sub': null, other: null },
      args: ['-m', '-r', '-e', 'create', '-e', 'moved_from', '-e', 'moved_to', 'd', 'other'],
      act: (dir) => {
        fs.renameSync(`${dir}/d/sub`, `${dir}/other/sub`);
        touch(`${dir}/other/sub/x`);
      },
      sentinel: symlinkSentinel('other/zz-sentinel'),
    });
  });

  test('-r: renaming a directory inside the tree updates nested paths (A86)', async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/sub/inner': null },
      args: ['-m', '-r', '-e', 'create', 'd'],
      act: (dir) => {
        fs.renameSync(`${dir}/d/sub`, `${dir}/d/renamed`);
        touch(`${dir}/d/renamed/inner/y`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('-r with a file argument watches the file (A74)', async (t) => {
    await compareWithUpstream(t, { tree: { f: 'x' }, args: ['-r', 'f'], act: (dir) => fs.appendFileSync(`${dir}/f`, 'x'), end: 'exit' });
  });

  test('-r: symlinked directories inside the tree are not followed (A63)', async (t) => {
    await compareWithUpstream(t, {
      tree: (dir) => {
        fs.mkdirSync(`${dir}/real/inner`, { recursive: true });
        fs.mkdirSync(`${dir}/d`);
        fs.symlinkSync('../real', `${dir}/d/lnk`);
      },
      args: ['-m', '-r', '-e', 'create', 'd'],
      act: (dir) => {
        touch(`${dir}/real/inner/x`);
        touch(`${dir}/d/lnk/y`);
        touch(`${dir}/d/z`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('the same directory spelled three ways: first name kept (A75)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: (dir) => ['-m', '-e', 'create', 'd/', './d', path.join(dir, 'd')],
      act: (dir) => touch(`${dir}/d/f`),
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  test('a directory and a file in it, both watched (A82)', async (t) => {
    await compareWithUpstream(t, { tree: { 'd/f': '' }, args: ['-m', '-e', 'attrib', 'd', 'd/f'], act: (dir) => fs.chmodSync(`${dir}/d/f`, 0o600), sentinel: lineSeen('d/f ATTRIB \n') });
  });

  test('CSV quoting matrix (A14)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-c', '-e', 'create', 'd'],
      act: (dir) => {
        for (const name of ['a,b"c', ' lead', 'trail ', 'plain', 'new\nline', 'tab\there', 'cr\rname', 'mid dle', '"', ',', ' ']) {
          touch(`${dir}/d/${name}`);
        }
        fs.mkdirSync(`${dir}/d/sp ace`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel', { text: 'd/,CREATE,zz-sentinel\n' }),
    });
  });

  test('CSV: a watch path with a comma is quoted (A15)', async (t) => {
    await compareWithUpstream(t, { tree: { 'x,y': null }, args: ['-c', '-e', 'create', 'x,y'], act: (dir) => touch(`${dir}/x,y/f`), end: 'exit' });
  });

  test('CSV: a watched file has an empty last field (A16)', async (t) => {
    await compareWithUpstream(t, { tree: { f: '' }, args: ['-c', '-e', 'attrib', 'f'], act: (dir) => fs.chmodSync(`${dir}/f`, 0o600), end: 'exit' });
  });

  test('--format: every token, %Xe separators, literal %q, %T (A18)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '--timefmt', '%H', '--format', '[%w][%f][%e][%:e][%_e][%ce][%c][%%][%n][%q][%T]', '-e', 'create', '-e', 'moved_from', 'd'],
      normalise: (s) => normaliseCookies(/\]\[([0-9a-f]+)e\]/g)(s).replace(/\[C1\]/g, '[X]').replace(/\]\[([0-9a-f]+)\]\[%\]/g, (m, c) => (c === '0' ? m : '][X][%]')).replace(/\]\[\d\d\]$/gm, '][HH]'),
      act: (dir) => {
        fs.mkdirSync(`${dir}/d/sub`);
        touch(`${dir}/d/f`);
        fs.renameSync(`${dir}/d/f`, `${dir}/gone`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel', { text: '[d/][zz-sentinel][CREATE]' }),
    });
  });

  test('--format: separators that are tokens themselves, and the rest', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '--timefmt', 'T', '--format', '%e|%.e|%;e|%%e|%0e|%ne|%Te|%fe|%we|%ee|% e|%ze|%é|%', '-e', 'close_write', 'd'],
      act: (dir) => touch(`${dir}/d/f`),
      sentinel: lineSeen('|%\n'), // the line's end: one CLOSE_WRITE is all there is
    });
  });

  test('--format with %T and --timefmt (A17)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-e', 'create', '--format', '%T %w%f %e', '--timefmt', '%d/%m/%y %H:%M', 'd'],
      normalise: (s) => s.replace(/^\d\d\/\d\d\/\d\d \d\d:\d\d /gm, 'TIME '),
      act: (dir) => touch(`${dir}/d/f`),
      end: 'exit',
    });
  });

  test('--format %0 with --no-newline, quiet (A19)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-q', '--format', '%w%f%0', '--no-newline', '-e', 'create', 'd'],
      ready: 1,
      act: (dir) => {
        touch(`${dir}/d/a`);
        touch(`${dir}/d/b`);
      },
      sentinel: symlinkSentinel('d/zz', { text: 'd/zz\0' }),
    });
  });

  test('--format ending in % (newline appended after it) (A20)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-e', 'create', '--format', 'X%w%f%', 'd'], act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
  });

  test("--format '' prints an empty line (A20d)", async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-e', 'create', '--format', '', 'd'], act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
  });

  test('the last --format wins', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-e', 'create', '--format', 'first %f', '--format', 'second %f', 'd'], act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
  });

  test('CLOSE names (A21)', async (t) => {
    await compareWithUpstream(t, {
      tree: { 'd/f': 'a' },
      args: ['-m', '-e', 'close', 'd'],
      act: (dir) => {
        fs.readFileSync(`${dir}/d/f`);
        fs.appendFileSync(`${dir}/d/f`, 'b');
      },
      sentinel: lineSeen('d/ CLOSE_WRITE,CLOSE f\n'),
    });
  });

  test('-e is case-insensitive and takes comma lists (A56)', async (t) => {
    await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-e', 'CREATE,Delete', 'd'],
      act: (dir) => {
        touch(`${dir}/d/f`);
        fs.unlinkSync(`${dir}/d/f`);
      },
      sentinel: symlinkSentinel('d/zz-sentinel'),
    });
  });

  for (const [label, events] of [
    ['leading comma: all events (A57)', [',create']],
    ['trailing comma', ['create,']],
    ['double comma', ['open,,close']],
    ['empty value', ['']],
    ['empty element ORed with a real one', ['attrib', '-e', ',create']],
    ['all_events', ['all_events']],
    ['move and close aliases', ['move,close', '-e', 'attrib']],
  ]) {
    test(`-e edge case: ${label}`, async (t) => {
      await compareWithUpstream(t, {
        tree: { d: null },
        args: ['-m', '-e', ...events, 'd'],
        act: (dir) => {
          fs.writeFileSync(`${dir}/d/f`, 'x');
          fs.renameSync(`${dir}/d/f`, `${dir}/d/g`);
          fs.chmodSync(`${dir}/d/g`, 0o600);
        },
        sentinel: lineSeen('d/ ATTRIB g\n'), // every set here has ATTRIB
      });
    });
  }

  for (const [label, event] of [['isdir (A58)', 'isdir'], ['q_overflow (A59)', 'q_overflow'], ['oneshot (A81)', 'oneshot'], ['unmount', 'unmount']]) {
    test(`-e ${label} alone: nothing ever matches, -t 1 gives 2`, async (t) => {
      await compareWithUpstream(t, { tree: { d: null }, args: ['-t', '1', '-e', event, 'd'], act: (dir) => touch(`${dir}/d/f`), end: 'exit' });
    });
  }

  test('a symlink argument is followed, %w keeps the link name (A60)', async (t) => {
    await compareWithUpstream(t, {
      tree: linkToFile,
      args: ['link'],
      act: (dir) => fs.appendFileSync(`${dir}/target`, 'x'),
      end: 'exit',
    });
  });

  test('-P: the target is not watched (A61)', async (t) => {
    await compareWithUpstream(t, {
      tree: linkToFile,
      args: ['-P', '-t', '1', 'link'],
      act: (dir) => fs.appendFileSync(`${dir}/target`, 'x'),
      end: 'exit',
    });
  });

  test('-P: the link itself is (A62)', async (t) => {
    await compareWithUpstream(t, {
      tree: linkToFile,
      args: ['-P', 'link'],
      act: (dir) => fs.lutimesSync(`${dir}/link`, new Date(), new Date()),
      end: 'exit',
    });
  });

  test('a symlinked directory without a trailing slash gets no / in %w (with -r it does)', async (t) => {
    for (const [args, expected] of [[['ld'], 'ldf|ld\n'], [['-r', 'ld'], 'ld/f|ld/\n']]) {
      const { ours } = await compareWithUpstream(t, {
        tree: (dir) => {
          fs.mkdirSync(`${dir}/d`);
          fs.symlinkSync('d', `${dir}/ld`);
        },
        args: ['-e', 'create', '--format', '%w%f|%w', ...args],
        act: (dir) => touch(`${dir}/d/f`),
        end: 'exit',
      });
      assert.equal(ours.stdout.toString(), expected);
    }
  });

  test('raw bytes and UTF-8 in names (A64)', async (t) => {
    const { ours } = await compareWithUpstream(t, {
      tree: { d: null },
      args: ['-m', '-e', 'create', 'd'],
      act: (dir) => {
        touch(Buffer.concat([Buffer.from(`${dir}/d/`), Buffer.from([0xff, 0xfe]), Buffer.from('.bin')]));
        touch(`${dir}/d/café`);
      },
      sentinel: lineSeen('d/ CREATE caf\xc3\xa9\n'),
    });
    assert.equal(ours.stdout.toString('latin1'), 'd/ CREATE \xff\xfe.bin\nd/ CREATE caf\xc3\xa9\n');
  });

  test('a newline in a name, default format (A65)', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-e', 'create', 'd'], act: (dir) => touch(`${dir}/d/a\nb`), end: 'exit' });
  });

  test('SIGINT ends both the same way', async (t) => {
    await compareWithUpstream(t, { tree: { d: null }, args: ['-m', 'd'], act: (dir) => touch(`${dir}/d/f`), end: 'SIGINT', sentinel: symlinkSentinel('d/zz-sentinel') });
  });
});
