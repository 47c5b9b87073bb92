// Mask names, -e parsing and the %-template/CSV formatters: pure functions, checked against the
// inotify-tools transcripts in the behaviour reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseEventList, renderMask, UnknownEventError, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE, IN_ISDIR, IN_CREATE,
  IN_ACCESS, IN_MODIFY, IN_OPEN, IN_MOVE, IN_CLOSE, IN_ALL_EVENTS, compileEventFormat, csvFormatter,
  defaultFormatter, compileRegexFilter, PatternError, fromText,
} from '@inotifykit/event-core';

const ev = (over) => ({ wd: 1, mask: IN_CREATE, cookie: 0, name: 'f', watchPath: 'd/', time: 0, synthetic: false, ...over });

test('event names render in inotify-tools order, CLOSE added, ISDIR last', () => {
  assert.equal(renderMask(IN_CLOSE_WRITE), 'CLOSE_WRITE,CLOSE');
  assert.equal(renderMask(IN_CLOSE_NOWRITE | IN_ISDIR), 'CLOSE_NOWRITE,CLOSE,ISDIR');
  assert.equal(renderMask(IN_CREATE | IN_ISDIR, ':'), 'CREATE:ISDIR');
  assert.equal(renderMask(IN_OPEN | IN_ACCESS | IN_MODIFY), 'ACCESS,MODIFY,OPEN');
  assert.equal(renderMask(0x10000000), '0x10000000');
});

test('-e lists: case-insensitive, aliases, the empty-element rule, unknown names', () => {
  assert.equal(parseEventList('open,modify,access'), IN_OPEN | IN_MODIFY | IN_ACCESS);
  assert.equal(parseEventList('CREATE,Delete'), IN_CREATE | 0x200);
  assert.equal(parseEventList('move'), IN_MOVE);
  assert.equal(parseEventList('close'), IN_CLOSE);
  assert.equal(parseEventList('all_events'), IN_ALL_EVENTS);
  for (const empty of [',open', 'access,', 'open,modify,,access,close', ',', ',,', ',close', 'close,']) {
    assert.equal(parseEventList(empty), 0, empty);
  }
  assert.throws(() => parseEventList('mod'), (e) => e instanceof UnknownEventError &&
    e.message === "'mod' is not a valid event!  Run with the '--help' option to see a list of events.");
});

test('default line, watched-file trailing space, raw bytes', () => {
  const line = defaultFormatter();
  assert.equal(line(ev({})), 'd/ CREATE f\n');
  assert.equal(line(ev({ watchPath: 'd/f', name: '', mask: 0x2 })), 'd/f MODIFY \n');
  const raw = '\xff\xfe.bin'; // bytes 0xFF 0xFE, not UTF-8
  assert.deepEqual(Buffer.from(line(ev({ name: raw })), 'latin1'), Buffer.concat([Buffer.from('d/ CREATE '), Buffer.from([0xff, 0xfe]), Buffer.from('.bin\n')]));
});

test('--format tokens as in transcript A18 (%ce is cookie then e, %q literal)', () => {
  const fmt = compileEventFormat('[%w][%f][%e][%:e][%_e][%ce][%c][%%][%n][%q]');
  assert.equal(fmt(ev({ mask: IN_CREATE | IN_ISDIR, name: 'sub' })), '[d/][sub][CREATE,ISDIR][CREATE:ISDIR][CREATE_ISDIR][0e][0][%][\n][%q]\n');
  assert.equal(fmt(ev({ mask: 0x40, cookie: 0x1a7 })), '[d/][f][MOVED_FROM][MOVED_FROM][MOVED_FROM][1a7e][1a7][%][\n][%q]\n');
  assert.equal(compileEventFormat('%w%f%0', { newline: false })(ev({})), 'd/f\0');
  // A trailing % is a literal % (inotifywait printed nothing at all: a bug we do not copy).
  assert.equal(compileEventFormat('X%w%f%', { newline: false })(ev({})), 'Xd/f%');
  assert.equal(compileEventFormat('X%w%f%')(ev({})), 'Xd/f%\n');
  assert.equal(compileEventFormat('')(ev({})), '\n');
  assert.equal(compileEventFormat('%T|%w', { timefmt: '%Y' })(ev({})), `${new Date().getFullYear()}|d/\n`);
  // A format typed in UTF-8 comes out as its UTF-8 bytes.
  assert.equal(compileEventFormat('é %f')(ev({})), fromText('é f\n'));
});

test('CSV quoting matrix (transcripts A14–A16)', () => {
  const csv = csvFormatter();
  assert.equal(csv(ev({ name: 'a,b"c' })), 'd/,CREATE,"a,b""c"\n');
  assert.equal(csv(ev({ name: ' lead' })), 'd/,CREATE," lead"\n');
  assert.equal(csv(ev({ name: 'trail ' })), 'd/,CREATE,"trail "\n');
  assert.equal(csv(ev({ name: 'new\nline' })), 'd/,CREATE,"new\nline"\n');
  assert.equal(csv(ev({ name: 'sp ace', mask: IN_CREATE | IN_ISDIR })), 'd/,"CREATE,ISDIR",sp ace\n');
  assert.equal(csv(ev({ watchPath: 'x,y/' })), '"x,y/",CREATE,f\n');
  assert.equal(csv(ev({ watchPath: 'f', name: '', mask: 0x4 })), 'f,ATTRIB,\n');
  assert.equal(csv(ev({ watchPath: '', name: '', wd: -1, mask: 0x4000 })), 'Q_OVERFLOW,\n');
});

test('POSIX ERE filters on %w%f: unanchored, classes, case folding, bad patterns', () => {
  const ex = compileRegexFilter({ kind: 'exclude', pattern: '\\.tmp$', ignoreCase: false });
  assert.equal(ex('d/a.tmp'), false);
  assert.equal(ex('d/c.TMP'), true);
  const exi = compileRegexFilter({ kind: 'exclude', pattern: '\\.tmp$', ignoreCase: true });
  assert.equal(exi('d/c.TMP'), false);
  const inc = compileRegexFilter({ kind: 'include', pattern: '.*\\.(txt|log)$', ignoreCase: false });
  assert.equal(inc('root/A/info.log'), true);
  assert.equal(inc('root/A/x.dat'), false);
  const cls = compileRegexFilter({ kind: 'include', pattern: '^d/[[:digit:]]+[\\.]x$', ignoreCase: false });
  assert.equal(cls('d/42.x'), true);
  assert.equal(cls('d/42\\x'), true, 'a backslash inside brackets is literal in POSIX');
  assert.equal(cls('d/a.x'), false);
  assert.equal(compileRegexFilter({ kind: 'exclude', pattern: '^d/', ignoreCase: false })('d/x'), false);
  assert.throws(() => compileRegexFilter({ kind: 'exclude', pattern: '(', ignoreCase: false }),
    (e) => e instanceof PatternError && e.message === "Error in `exclude' regular expression.");
  assert.throws(() => compileRegexFilter({ kind: 'include', pattern: '[', ignoreCase: false }),
    (e) => e instanceof PatternError && e.message === "Error in `include' regular expression.");
});
