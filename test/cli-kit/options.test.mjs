// cli-kit's option table (packages/cli-kit/src/options): getopt's word rules in front of yargs, the help
// layout, the completion data, and the table's own consistency check — for a small table here, and for
// the real tables of dnotify and procwatch (watchexec's verify_cli).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionTableError, completionOptions, helpText, indexTable, optionSynopsis, parseCommandLine } from '@inotifykit/cli-kit/options';
import { DNOTIFY_OPTIONS } from '@inotifykit/dnotify';
import { PROCWATCH_OPTIONS } from '@inotifykit/procwatch';

const group = 'Things';
const TABLE = {
  options: [
    { long: 'all', short: 'a', group, description: 'every thing' },
    { long: 'count', short: 'c', value: { name: 'N', kind: 'number' }, group, description: 'how many' },
    { long: 'file', short: 'f', value: { name: 'FILE', kind: 'file' }, repeatable: true, group, description: 'a file' },
    { long: 'silent', aliases: ['quiet'], group: 'Other', description: 'say less' },
    { long: 'cache', negatable: true, group: 'Other', description: 'keep a cache' },
    { long: 'exec', short: 'e', endsOptions: true, group: 'Other', description: 'run a command' },
  ],
};
const parse = (...words) => parseCommandLine(TABLE, words);
const message = (...words) => {
  try {
    parse(...words);
  } catch (err) {
    return err.message;
  }
  return undefined;
};

describe('parseCommandLine', () => {
  test('bundles, attached and separate values, operands anywhere, --', () => {
    const line = parse('x', '-ac2', 'y', '-f', '-e', '--file=a=b', '--', '-a', '-e');
    assert.deepEqual(line.operands, ['x', 'y', '-a', '-e']);
    assert.equal(line.flag('all'), true);
    assert.equal(line.value('count'), '2');
    assert.deepEqual(line.values('file'), ['-e', 'a=b'], 'a value may start with -; = after the first stays');
    assert.equal(line.rest, undefined, '-e after -- is an operand unless the table says otherwise');
  });
  test('the last value counts, every value is kept; aliases and --no-X', () => {
    const line = parse('-c1', '--count', '3', '--quiet', '--cache', '--no-cache');
    assert.equal(line.value('count'), '3');
    assert.deepEqual(line.values('count'), ['1', '3']);
    assert.equal(line.flag('silent'), true);
    assert.equal(line.flag('cache', true), false);
    assert.equal(parse().flag('cache', true), true, 'the fallback when neither was given');
    assert.equal(parse().has('count'), false);
  });
  test('values are bytes as typed: quotes (which yargs alone strips after =), NUL-free anything', () => {
    assert.deepEqual(parse("--file='q'", '-f"d"', '--file=\xff\n').values('file'), ["'q'", '"d"', '\xff\n']);
    assert.deepEqual(parse("'op'").operands, ["'op'"]);
  });
  test('the command after -e is not parsed: attached, separate, long, in a bundle', () => {
    assert.deepEqual(parse('x', '-e', 'cmd', '-a', '--', '-e').rest, ['cmd', '-a', '--', '-e']);
    assert.deepEqual(parse('-aecmd', 'y').rest, ['cmd', 'y']);
    assert.deepEqual(parse('--exec=cmd', 'y').rest, ['cmd', 'y']);
    assert.equal(parse('--exec').restSpelling, '--exec');
    assert.deepEqual(parse('--exec').rest, []);
    const afterDashes = parseCommandLine({ ...TABLE, endsOptionsAfterDoubleDash: true }, ['--', '-a', '-e', 'cmd']);
    assert.deepEqual([afterDashes.operands, afterDashes.rest], [['-a'], ['cmd']]);
  });
  test('errors in glibc getopt\'s words', () => {
    assert.equal(message('-ax'), "invalid option -- 'x'");
    assert.equal(message('-c'), "option requires an argument -- 'c'");
    assert.equal(message('--count'), "option '--count' requires an argument");
    assert.equal(message('--bogus=1'), "unrecognized option '--bogus'");
    assert.equal(message('--al'), "unrecognized option '--al'", 'no abbreviations');
    assert.equal(message('--all=1'), "option '--all' doesn't allow an argument");
    assert.equal(message('--no-cache=1'), "option '--no-cache' doesn't allow an argument");
    assert.equal(message('--no-all'), "unrecognized option '--no-all'", 'only negatable flags have --no-');
    const custom = (line) => Object.assign(new Error(`custom: ${line}`), { exitCode: 2 });
    assert.throws(() => parseCommandLine(TABLE, ['-x'], { error: custom }), { message: "custom: invalid option -- 'x'", exitCode: 2 });
  });
  test('reading an option the table does not have is a programming error', () => {
    assert.throws(() => parse().flag('nope'), OptionTableError);
  });
});

describe('the table checks itself', () => {
  const bad = (options) => () => indexTable({ options });
  const base = { group, description: 'd' };
  test('a spelling declared twice, a negatable option with a value, a bad name', () => {
    assert.throws(bad([{ long: 'a', short: 'x', ...base }, { long: 'b', short: 'x', ...base }]), /'x' is declared twice/);
    assert.throws(bad([{ long: 'a', aliases: ['b'], ...base }, { long: 'b', ...base }]), /'b' is declared twice/);
    assert.throws(bad([{ long: 'x', negatable: true, ...base }, { long: 'no-x', ...base }]), /'no-x' is declared twice/);
    assert.throws(bad([{ long: 'a', negatable: true, value: { name: 'V' }, ...base }]), /negatable/);
    assert.throws(bad([{ long: '-a', ...base }]), /bad long name/);
    assert.throws(bad([{ long: 'a', group, description: '' }]), /no description/);
  });
  for (const [tool, table] of [['dnotify', DNOTIFY_OPTIONS], ['procwatch', PROCWATCH_OPTIONS]]) {
    test(`${tool}'s table: consistent, every option in --help, lines of 80 columns at most`, () => {
      indexTable(table);
      const help = helpText(table, { head: 'Usage: x\n' });
      for (const spec of table.options) assert.ok(help.includes(optionSynopsis(spec)), `${tool} --help shows ${optionSynopsis(spec)}`);
      for (const line of help.split('\n')) assert.ok(line.length <= 80, `too long: ${line}`);
    });
  }
});

test('helpText: groups in order, GNU columns (two spaces at least before a description), long synopses on their own line, wrapped descriptions', () => {
  const table = {
    options: [
      ...TABLE.options,
      { long: 'a-rather-long-option', value: { name: 'VALUE' }, group, description: 'word '.repeat(20).trim() },
    ],
  };
  assert.equal(
    helpText(table, { head: 'Usage: t [OPTION]...\n', foot: 'The end.\n' }),
    `Usage: t [OPTION]...

Things:
  -a, --all               every thing
  -c, --count N           how many
  -f, --file FILE         a file
      --a-rather-long-option VALUE
                          ${'word '.repeat(11).trim()}
                          ${'word '.repeat(9).trim()}

Other:
      --silent, --quiet   say less
      --cache, --no-cache
                          keep a cache
  -e, --exec COMMAND...   run a command

The end.
`,
  );
});

test('completionOptions: spellings, values and their kinds, the command, --no-X', () => {
  const byName = new Map(completionOptions(TABLE).map((o) => [o.names[0], o]));
  assert.deepEqual(byName.get('-f'), { names: ['-f', '--file'], arg: 'required', value: 'file', repeatable: true, description: 'a file' });
  assert.equal(byName.get('-c').value, undefined, 'a number completes nothing');
  assert.equal(byName.get('-e').value, 'command');
  assert.deepEqual(byName.get('--silent').names, ['--silent', '--quiet']);
  assert.equal(byName.get('--no-cache').arg, 'none');
});
