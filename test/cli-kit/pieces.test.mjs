// The shared command-line pieces in event-core/src/cli (used by inotifywait and inotifywatch), tested
// directly: getopt_long's rules, the path list, -t parsing, regex options, path rules and globs, the sink.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { OutputSink, RegexOptions, buildPathList, compilePathRules, getopt, compileGlob, parseTimeoutOption } from '@inotifykit/cli-kit';
import { tempDir } from '../lib/cli.mjs';

const SPEC = {
  program: 'prog',
  shortOptions: 'ab:c',
  longOptions: [
    { name: 'alpha', argument: 'none', key: 'a' },
    { name: 'beta', argument: 'required', key: 'b' },
    { name: 'bet', argument: 'none', key: 'bet' },
    { name: 'colour', argument: 'none', key: 'c' },
    { name: 'color', argument: 'none', key: 'c' },
    { name: 'gamma', argument: 'optional', key: 'gamma', extension: true },
    { name: 'alphabet', argument: 'none', key: 'alphabet', extension: true },
  ],
};
const parse = (...args) => {
  const r = getopt(args, SPEC);
  return { options: r.options.map((o) => [o.key, o.value]), operands: r.operands, error: r.error?.text };
};

describe('getopt', () => {
  test('permutes, bundles, attached and separate arguments, --', () => {
    assert.deepEqual(parse('x', '-ab1', 'y', '-b', '-a', '--', '-c'), { options: [['a', undefined], ['b', '1'], ['b', '-a']], operands: ['x', 'y', '-c'], error: undefined });
  });
  test('long options: exact, prefixes, =value, the same option under two names is not ambiguous', () => {
    assert.deepEqual(parse('--bet', '--beta=2', '--beta', '3', '--col').options, [['bet', undefined], ['b', '2'], ['b', '3'], ['c', undefined]]);
    assert.equal(parse('--al').options[0][0], 'a', 'the classic option wins an abbreviation over an extension');
    assert.deepEqual(parse('--alphab', '--g', '--gamma=x', '--gamma', 'y').options, [['alphabet', undefined], ['gamma', undefined], ['gamma', 'x'], ['gamma', undefined]]);
  });
  test("glibc's messages, and parsing stops at the first error", () => {
    assert.equal(parse('--b').error, "prog: option '--b' is ambiguous; possibilities: '--beta' '--bet'");
    assert.equal(parse('--bogus=1').error, "prog: unrecognized option '--bogus=1'");
    assert.equal(parse('--alpha=1').error, "prog: option '--alpha' doesn't allow an argument");
    assert.equal(parse('--beta').error, "prog: option '--beta' requires an argument");
    assert.equal(parse('-b').error, "prog: option requires an argument -- 'b'");
    assert.deepEqual(parse('-ax', '-c'), { options: [['a', undefined]], operands: [], error: "prog: invalid option -- 'x'" });
    assert.equal(parse('-:').error, "prog: invalid option -- ':'");
  });
});

describe('path list', () => {
  test('--fromfile lines first, @exclusions, fgets pieces of 4095 bytes, NUL ends an entry', (t) => {
    const dir = tempDir(t);
    const long = 'L'.repeat(5000);
    fs.writeFileSync(`${dir}/list`, Buffer.from(`a\n@x/\n\n@\nb\r\n${long}\nc\0ignored\nd`, 'latin1'));
    const messages = [];
    const list = buildPathList(['arg', '@y', '', '@'], `${dir}/list`, (m) => messages.push(m));
    assert.deepEqual(list.paths, ['a', 'b\r', long.slice(0, 4095), long.slice(4095), 'c', 'd', 'arg']);
    assert.deepEqual(list.exclusions, ['x/', 'y']);
    assert.deepEqual(messages, []);
  });
  test('an unreadable list is reported and skipped; a directory reads as empty', (t) => {
    const dir = tempDir(t);
    const messages = [];
    assert.deepEqual(buildPathList(['p'], `${dir}/nosuch`, (m) => messages.push(m)).paths, ['p']);
    assert.deepEqual(messages, [`Couldn't open ${dir}/nosuch: No such file or directory`]);
    assert.deepEqual(buildPathList([], dir, (m) => messages.push(m)).paths, []);
    assert.equal(messages.length, 1);
  });
});

describe('-t values', () => {
  test('strtol, then unsigned int', () => {
    assert.equal(parseTimeoutOption('5'), 5);
    assert.equal(parseTimeoutOption(' +7'), 7);
    assert.equal(parseTimeoutOption('-1'), 4294967295);
    assert.equal(parseTimeoutOption('4294967296'), 0);
    assert.equal(parseTimeoutOption('9223372036854775807'), 4294967295);
    assert.throws(() => parseTimeoutOption('9223372036854775808'), { text: 'Something went wrong with the timeout value you provided.\nNumerical result out of range' });
    assert.throws(() => parseTimeoutOption('1.5'), { text: "'1.5' is not a valid timeout value.\nPlease specify a long int value." });
    assert.throws(() => parseTimeoutOption(''), { text: 'The provided value is not a valid timeout value.\nPlease specify a long int value.' });
  });
});

describe('regex options', () => {
  test('last one wins, one warning per repeated exclude flag, conflicts in order', () => {
    const r = new RegexOptions();
    r.set('exclude', 'a');
    r.set('exclude', 'b');
    r.set('exclude', 'c');
    assert.deepEqual(r.repeatWarnings(), ['--exclude: only the last option will be taken into consideration.']);
    assert.equal(r.compile().filter('d/c'), false);
    assert.equal(r.compile().filter('d/a'), true);
    r.set('includei', 'x');
    r.set('excludei', 'y');
    assert.throws(() => r.check(), { text: '--exclude and --excludei cannot both be specified.' });
  });
});

describe('path rules and globs', () => {
  test('globs', () => {
    const cases = [
      ['*.txt', 'a.txt', true], ['*.txt', 'dir/a.txt', false], ['**/a.txt', 'x/y/a.txt', true], ['a/**/b', 'a/b', true],
      ['a/**/b', 'a/x/y/b', true], ['[!a]?', 'bc', true], ['[!a]?', 'ac', false], ['{x,y}.c', 'y.c', true], ['\\*', '*', true],
      ['[', '[', true], ['f.?', 'f./', false], ['caf\xc3\xa9', 'caf\xc3\xa9', true],
    ];
    for (const [glob, subject, expected] of cases) assert.equal(compileGlob(glob).test(subject), expected, `${glob} ~ ${subject}`);
    assert.equal(compileGlob('*.TXT', true).test('a.txt'), true);
    assert.throws(() => compileGlob('{a'));
  });
  test('globs are picomatch globs: POSIX classes, ranges, extglobs; bytes; linear time', () => {
    const cases = [
      ['[[:digit:]]*', '1abc', true], ['[[:digit:]]*', 'abc', false], ['file{1..3}', 'file2', true], ['file{1..3}', 'file4', false],
      ['!(*.txt)', 'a.log', true], ['!(*.txt)', 'a.txt', false], ['!(*.txt)', 'd/a.log', false], ['@(a|b).c', 'b.c', true],
      ['+(ab).c', 'abab.c', true], ['*.tmp', '.x.tmp', true], ['./d/*', './d/x', true], ['**/x', './d/x', true],
      ['\xe9*', '\xe9\xff', true], ['[\x80-\xff]', '\xa0', true], ['[\x80-\xff]', 'a', false],
    ];
    for (const [glob, subject, expected] of cases) assert.equal(compileGlob(glob).test(subject), expected, `${glob} ~ ${subject}`);
    assert.throws(() => compileGlob('a!(b)c'), /whole glob/);
    const t0 = performance.now();
    assert.equal(compileGlob('*a*a*a*a*a*a*a*a*b').test('a'.repeat(250)), false);
    assert.ok(performance.now() - t0 < 100, '*a*a*…*b against 250 letters stays linear');
  });
  test('rules: includes any, excludes none; globs without / see the last component; pruning', () => {
    const rules = compilePathRules([
      { action: 'include', syntax: 'glob', pattern: '*.c', ignoreCase: false },
      { action: 'include', syntax: 'regex', pattern: '^d/keep', ignoreCase: false },
      { action: 'exclude', syntax: 'glob', pattern: 'build', ignoreCase: false },
      { action: 'exclude', syntax: 'glob', pattern: 'd/gen/*', ignoreCase: false },
    ]);
    assert.equal(rules.filter('d/x.c'), true);
    assert.equal(rules.filter('d/keep.h'), true);
    assert.equal(rules.filter('d/x.h'), false);
    assert.equal(rules.filter('d/gen/x.c'), false);
    assert.equal(rules.prune('d/build/'), true);
    assert.equal(rules.prune('d/gen/sub/'), true);
    assert.equal(rules.prune('d/src/'), false);
    assert.deepEqual(compilePathRules([]), { filter: undefined, prune: undefined });
  });
});

describe('output sink', () => {
  test('a regular file gets each batch with one write, appended', (t) => {
    const file = path.join(tempDir(t), 'out');
    const fd = fs.openSync(file, 'a');
    const sink = new OutputSink(fd);
    assert.equal(sink.kind, 'file');
    assert.equal(sink.write(Buffer.from('one\n')), undefined);
    assert.equal(sink.write(Buffer.alloc(0)), undefined);
    sink.write(Buffer.from('two\n'));
    fs.closeSync(fd);
    assert.equal(fs.readFileSync(file, 'utf8'), 'one\ntwo\n');
  });
});
