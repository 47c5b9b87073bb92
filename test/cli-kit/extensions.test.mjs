// The drop-ins' extension table (packages/cli-kit/src/options/extensions.ts): one table per drop-in makes
// its getopt long options, the extension section of --help and the completion data. Checked for a small
// table here (the two layouts), and for the real tables of inotifywait and inotifywatch: an extension in
// getopt's list that the table does not have (so no help, no completion) fails, and so does one of the
// table's options missing from --help or from the generated completion scripts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { extensionCompletion, extensionHelp, extensionLongOptions, extensionSynopsis } from '@inotifykit/cli-kit';
import { INOTIFYWAIT_EXTENSIONS, INOTIFYWAIT_GETOPT } from '@inotifykit/inotifywait';
import { GETOPT_SPEC, INOTIFYWATCH_EXTENSIONS } from '@inotifykit/inotifywatch';

const root = fileURLToPath(new URL('../..', import.meta.url));
const word = (n) => 'word '.repeat(n).trim();

const TABLE = [
  { options: [{ long: 'json' }], description: 'Print JSON.' },
  { options: [{ long: 'ready', value: { name: 'FD', optional: true } }], description: word(15) },
  { options: [{ long: 'since', value: { name: '<file>', kind: 'file' } }], description: 'Keep the state in <file>.' },
  { options: [{ long: 'backend', value: { choices: ['one', 'two'] } }], description: 'What watches.' },
  {
    options: [
      { long: 'inotify', short: 'I', classic: true, summary: 'With inotify.' },
      { long: 'fanotify', short: 'F', classic: true },
    ],
    description: 'Watch with inotify or fanotify. More words.',
  },
  {
    options: ['exclude-regex', 'include-regex', 'excludei-regex'].map((long) => ({ long, value: { name: '<re>' } })),
    description: 'Rules.',
  },
  { options: [{ long: 'version' }], description: 'Print "{program} VERSION".' },
];

test('extensionLongOptions: every option not already classic, in order, marked as an extension', () => {
  assert.deepEqual(extensionLongOptions(TABLE), [
    { name: 'json', argument: 'none', key: 'json', extension: true },
    { name: 'ready', argument: 'optional', key: 'ready', extension: true },
    { name: 'since', argument: 'required', key: 'since', extension: true },
    { name: 'backend', argument: 'required', key: 'backend', extension: true },
    { name: 'exclude-regex', argument: 'required', key: 'exclude-regex', extension: true },
    { name: 'include-regex', argument: 'required', key: 'include-regex', extension: true },
    { name: 'excludei-regex', argument: 'required', key: 'excludei-regex', extension: true },
    { name: 'version', argument: 'none', key: 'version', extension: true },
  ]);
});

test("extensionHelp, inotifywait's layout: synopses padded to 14 columns or alone on their line, wrapped at 64", () => {
  assert.equal(
    extensionHelp(TABLE, 'inotifywait', 'prog'),
    '\t--json        \tPrint JSON.\n' +
      `\t--ready[=FD]  \t${word(13)}\n` +
      `\t              \t${word(2)}\n` +
      '\t--since <file>\tKeep the state in <file>.\n' +
      '\t--backend one|two\n' +
      '\t              \tWhat watches.\n' +
      '\t-I|--inotify, -F|--fanotify\n' +
      '\t              \tWatch with inotify or fanotify. More words.\n' +
      '\t--exclude-regex <re>, --include-regex <re>\n' +
      '\t--excludei-regex <re>\n' +
      '\t              \tRules.\n' +
      '\t--version     \tPrint "prog VERSION".\n',
  );
});

test("extensionHelp, inotifywatch's layout: short flags inline up to column 24, the rest on their own line", () => {
  assert.equal(
    extensionHelp(TABLE, 'inotifywatch', 'prog'),
    '\t--json\t\tPrint JSON.\n' +
      '\t--ready[=FD]\n' +
      `\t\t${word(12)}\n` +
      `\t\t${word(3)}\n` +
      '\t--since <file>\n' +
      '\t\tKeep the state in <file>.\n' +
      '\t--backend one|two\n' +
      '\t\tWhat watches.\n' +
      '\t-I|--inotify, -F|--fanotify\n' +
      '\t\tWatch with inotify or fanotify. More words.\n' +
      '\t--exclude-regex <re>, --include-regex <re>\n' +
      '\t--excludei-regex <re>\n' +
      '\t\tRules.\n' +
      '\t--version\tPrint "prog VERSION".\n',
  );
});

test('extensionCompletion: value kinds and choices, the summary or the first sentence', () => {
  const c = extensionCompletion(TABLE, 'prog');
  assert.deepEqual(c.since, { value: 'file', description: 'Keep the state in <file>.' });
  assert.deepEqual(c.backend, { choices: ['one', 'two'], description: 'What watches.' });
  assert.deepEqual(c.inotify, { description: 'With inotify.' });
  assert.deepEqual(c.fanotify, { description: 'Watch with inotify or fanotify.' });
  assert.deepEqual(c.version, { description: 'Print "prog VERSION".' });
});

const help = (bin) => spawnSync(`${root}bin/${bin}`, ['--help'], { encoding: 'latin1' }).stdout;

describe('the drop-ins: getopt, --help and completion all from the table', () => {
  for (const [tool, table, spec, heading, end] of [
    ['inotifywait', INOTIFYWAIT_EXTENSIONS, INOTIFYWAIT_GETOPT, '\nExtensions (inotifykit; not in inotify-tools):\n', undefined],
    ['inotifywatch', INOTIFYWATCH_EXTENSIONS, GETOPT_SPEC, '\nOptions beyond inotify-tools:\n', '\nExit status:'],
  ]) {
    test(`${tool}: every extension getopt knows is in the table, in --help and in completion`, () => {
      const options = table.flatMap((entry) => entry.options);
      // getopt's extensions are exactly the table's new options; its classic ones are upstream's.
      assert.deepEqual(spec.longOptions.filter((o) => o.extension), extensionLongOptions(table));
      for (const o of options.filter((o) => o.classic)) {
        const classic = spec.longOptions.find((l) => l.name === o.long);
        assert.ok(classic && !classic.extension && classic.key === o.short, `${o.long} is classic in getopt, as -${o.short}`);
        assert.ok(spec.shortOptions.includes(o.short), `-${o.short} in the optstring`);
      }
      const text = help(tool);
      const section = text.slice(text.indexOf(heading) + heading.length, end ? text.indexOf(end) : undefined);
      assert.equal(section, extensionHelp(table, tool, tool), 'the section is the generated text');
      for (const o of options) assert.ok(section.includes(extensionSynopsis(o)), `--help shows ${extensionSynopsis(o)}`);
      const bash = fs.readFileSync(`${root}completion/bash/${tool}`, 'latin1');
      const zsh = fs.readFileSync(`${root}completion/zsh/_${tool}`, 'latin1');
      const described = extensionCompletion(table, tool);
      for (const o of options) {
        assert.match(bash, new RegExp(`compgen -W '[^']* --${o.long}[ ']`), `bash offers --${o.long}`);
        const description = described[o.long].description.replace(/([\\[\]:])/g, '\\$1').replace(/'/g, `'\\''`);
        assert.ok(zsh.includes(`--${o.long}${o.value ? (o.value.optional ? '=-' : '=') : ''}[${description}]`), `zsh describes --${o.long}`);
        if (o.value?.kind === 'file') assert.match(zsh, new RegExp(`--${o.long}=\\[[^\\n]*:_files' `), `zsh completes files after --${o.long}`);
        if (o.value?.choices) assert.ok(zsh.includes(`:(${o.value.choices.join(' ')})'`), `zsh offers --${o.long}'s choices`);
      }
    });
  }

  test("fsnotifywait's and fsnotifywatch's sections name them", () => {
    assert.match(help('fsnotifywait'), /\t--version +\tPrint "fsnotifywait \(inotifykit\) VERSION"/);
    assert.match(help('fsnotifywatch'), /\t--version\tPrint "fsnotifywatch \(inotifykit\) VERSION"/);
  });
});
