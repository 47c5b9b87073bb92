// bash and zsh completion (completion/bash/<tool>, completion/zsh/_<tool>), generated from the option tables
// the CLIs parse with: the getopt specs of inotifywait and inotifywatch, and the cli-kit option tables of
// dnotify and procwatch and the drop-ins' extension tables (which say themselves what kind of value each
// option takes, and describe it). Nothing here lists an option; for the drop-ins' classic options, what is
// added is how to complete a value.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * One option: its spellings, whether it takes a value, and how to complete that value: `value` a kind
 * ('file', 'directory', 'process', 'pid', 'user', or 'command': the rest of the line is a command) and/or
 * `choices` (comma-separated when `list`). cli-kit's completionOptions() gives this shape.
 * @typedef {{ names: string[], arg: 'none' | 'required' | 'optional', value?: string, choices?: string[],
 *   list?: boolean, repeatable?: boolean, description?: string }} Option
 * @typedef {{ tool: string, options: Option[], operands: 'files' | 'dirs' | 'processes' }} Tool
 */

/** A glibc getopt spec (short option string and long option table) as options; `values` by long name. */
function fromGetopt(spec, values) {
  const shorts = new Map();
  for (const m of spec.shortOptions.matchAll(/([A-Za-z0-9])(::?)?/g)) {
    shorts.set(m[1], m[2] === '::' ? 'optional' : m[2] === ':' ? 'required' : 'none');
  }
  const options = spec.longOptions.map((o) => {
    const names = [`--${o.name}`];
    if (o.key.length === 1 && shorts.has(o.key)) {
      names.unshift(`-${o.key}`);
      shorts.delete(o.key);
    }
    // -e, --exclude and the like may be given more than once.
    return { names, arg: o.argument, repeatable: true, ...values[o.name] };
  });
  for (const [letter, arg] of shorts) options.push({ names: [`-${letter}`], arg, repeatable: true });
  return options;
}

async function tools() {
  const { EVENT_NAMES } = await import('@inotifykit/event-core');
  const { extensionCompletion } = await import('@inotifykit/cli-kit');
  const { completionOptions } = await import('@inotifykit/cli-kit/options');
  const { INOTIFYWAIT_EXTENSIONS, INOTIFYWAIT_GETOPT } = await import('@inotifykit/inotifywait');
  const { GETOPT_SPEC, INOTIFYWATCH_EXTENSIONS } = await import('@inotifykit/inotifywatch');
  const { DNOTIFY_OPTIONS } = await import('@inotifykit/dnotify');
  const { PROCWATCH_OPTIONS } = await import('@inotifykit/procwatch');
  // How the classic options' values are completed, by long name (their getopt tables say only whether
  // there is one); the extensions' come from their tables, with their descriptions.
  const events = { choices: EVENT_NAMES, list: true };
  const classicValues = { event: events, ascending: events, descending: events, fromfile: { value: 'file' }, outfile: { value: 'file' } };
  return [
    {
      tool: 'inotifywait',
      options: fromGetopt(INOTIFYWAIT_GETOPT, { ...classicValues, ...extensionCompletion(INOTIFYWAIT_EXTENSIONS, 'inotifywait') }),
      operands: 'files',
    },
    {
      tool: 'inotifywatch',
      options: fromGetopt(GETOPT_SPEC, { ...classicValues, ...extensionCompletion(INOTIFYWATCH_EXTENSIONS, 'inotifywatch') }),
      operands: 'files',
    },
    { tool: 'dnotify', options: completionOptions(DNOTIFY_OPTIONS), operands: 'dirs' },
    { tool: 'procwatch', options: completionOptions(PROCWATCH_OPTIONS), operands: 'processes' },
  ];
}

const shellWords = (words) => words.join(' ').replace(/'/g, '');

/** bash: one function per tool, registered with `complete -F`. */
function bash({ tool, options, operands }) {
  const fn = `_inotifykit_${tool}`;
  const words = options.flatMap((o) => o.names);
  const takesValue = options.filter((o) => o.arg !== 'none');
  const cases = [];
  const add = (matching, body) => {
    const names = takesValue.filter(matching).flatMap((o) => o.names);
    if (names.length) cases.push(`    ${names.join('|')})\n      ${body}\n      return ;;`);
    return names.length > 0;
  };
  // A list takes comma-separated words: complete the part after the last comma.
  for (const o of takesValue.filter((o) => o.choices)) {
    const body = o.list
      ? `local head=; [[ $cur == *,* ]] && head=\${cur%,*},\n      COMPREPLY=($(compgen -P "$head" -W '${shellWords(o.choices)}' -- "\${cur##*,}"))`
      : `COMPREPLY=($(compgen -W '${shellWords(o.choices)}' -- "$cur"))`;
    add((x) => x === o, body);
  }
  const plain = (kind) => (o) => !o.choices && o.value === kind;
  add(plain('file'), 'COMPREPLY=($(compgen -f -- "$cur"))');
  add(plain('directory'), 'COMPREPLY=($(compgen -d -- "$cur"))');
  add(plain('user'), 'COMPREPLY=($(compgen -u -- "$cur"))');
  add(plain('pid'), 'COMPREPLY=($(compgen -W "$(cd /proc && printf \'%s \' [0-9]*)" -- "$cur"))');
  const processes = add(plain('process'), `${fn}_processes`);
  add((o) => !o.choices && !['file', 'directory', 'user', 'pid', 'process'].includes(o.value), '');
  const command = options.filter((o) => o.value === 'command').flatMap((o) => o.names);
  const operand =
    operands === 'dirs' ? 'COMPREPLY=($(compgen -d -- "$cur"))' : operands === 'processes' ? `${fn}_processes` : 'COMPREPLY=($(compgen -f -- "$cur"))';
  return `# bash completion for ${tool} (inotifykit), generated from its option table by scripts/completion.mjs.
${
  operands === 'processes' || processes
    ? `${fn}_processes() {
  local names
  names=$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u)
  COMPREPLY=($(compgen -W "$names" -- "$cur"))
}
`
    : ''
}${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=
  ((COMP_CWORD > 0)) && prev=\${COMP_WORDS[COMP_CWORD-1]}
  # \`--since=FILE\`: bash splits the word at the = (COMP_WORDBREAKS).
  [[ $prev == = ]] && ((COMP_CWORD > 1)) && prev=\${COMP_WORDS[COMP_CWORD-2]}
  COMPREPLY=()
${
  command.length
    ? `  # After ${command.join(' or ')} comes a command and its arguments.
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      --) break ;;
      ${command.join('|')})
        if ((i == COMP_CWORD - 1)); then COMPREPLY=($(compgen -c -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
        return ;;
    esac
  done
`
    : ''
}  case $prev in
${cases.join('\n').replace(/\n {6}\n/g, '\n')}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W '${words.join(' ')}' -- "$cur"))
    return
  fi
  ${operand}
}
complete -o filenames -F ${fn} ${tool}
`;
}

/** zsh: an _arguments spec per tool (`#compdef`, for a directory on $fpath). */
function zsh({ tool, options, operands }) {
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  // In a spec, [...] holds the description and : separates the fields.
  const describe = (text = '') => `[${text.replace(/([\\[\]:])/g, '\\$1')}]`;
  const action = (o) =>
    o.choices
      ? o.list
        ? `_sequence compadd - ${o.choices.join(' ')}`
        : `(${o.choices.join(' ')})`
      : ({ file: '_files', directory: '_files -/', process: '_process_names', pid: '_pids', user: '_users' })[o.value] ?? ' ';
  const specs = [];
  for (const o of options) {
    // An option given once is not offered again, nor are its other spellings.
    const exclusive = o.repeatable ? '*' : o.names.length > 1 ? `(${o.names.join(' ')})` : '';
    const message = (o.names.at(-1) ?? '').replace(/^-+/, '');
    for (const n of o.names) {
      if (o.value === 'command') specs.push(quote(`(-)${n}${describe(o.description ?? 'command and its arguments')}:*::command:_normal`));
      else if (o.arg === 'none') specs.push(quote(`${exclusive}${n}${describe(o.description)}`));
      else {
        const joint = n.startsWith('--') ? (o.arg === 'optional' ? '=-' : '=') : o.arg === 'optional' ? '-' : '+';
        specs.push(quote(`${exclusive}${n}${joint}${describe(o.description)}:${message}:${action(o)}`));
      }
    }
  }
  const operand = { files: '*:file:_files', dirs: '*:directory:_files -/', processes: '*:process name:_process_names' }[operands];
  return `#compdef ${tool}
# zsh completion for ${tool} (inotifykit), generated from its option table by scripts/completion.mjs.
_arguments -s -S \\
  ${[...specs, quote(operand)].join(' \\\n  ')}
`;
}

const all = await tools();
rmSync(`${root}completion`, { recursive: true, force: true });
mkdirSync(`${root}completion/bash`, { recursive: true });
mkdirSync(`${root}completion/zsh`, { recursive: true });
for (const t of all) {
  writeFileSync(`${root}completion/bash/${t.tool}`, bash(t));
  writeFileSync(`${root}completion/zsh/_${t.tool}`, zsh(t));
}
