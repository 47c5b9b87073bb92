// inotifywait's output formatters (%-templates, the default line, CSV), checked against the transcripts in
// the behaviour reference. They are the CLI's own modules, so the test loads them from its build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IN_CREATE, IN_ISDIR, fromText } from '@inotifykit/event-core';
import { compileEventFormat, csvFormatter, defaultFormatter, formatNamesProcess } from '../../packages/inotifywait/dist/output/format.js';

const ev = (over) => ({ wd: 1, mask: IN_CREATE, cookie: 0, name: 'f', watchPath: 'd/', time: 0, synthetic: false, ...over });

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
  assert.equal(compileEventFormat(fromText('é %f'))(ev({})), fromText('é f\n'));
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

test('formatNamesProcess: only a real %C or %U asks fanotify for the writer\'s name and uid', () => {
  for (const [format, expected] of [['%C', true], ['%w %U', true], ['%P %w%f', false], ['%%C %%U', false], ['%:e %f', false], ['100%', false]]) {
    assert.equal(formatNamesProcess(format), expected, format);
  }
});
