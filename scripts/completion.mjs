// bash and zsh completion (completion/bash/<tool>, completion/zsh/_<tool>), generated from the option tables
// the CLIs parse with: the getopt specs of inotifywait and inotifywatch, dnotify's option table and procwatch's
// yargs options. Nothing here lists an option; what is added is how to complete an option's value.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * One option: its spellings, whether it takes a value, and how to complete that value ('file', 'events',
 * 'backends', 'command' (the rest of the line is a command), or nothing).
 * @typedef {{ names: string[], arg: 'none' | 'required' | 'optional', value?: string }} Option
 * @typedef {{ tool: string, options: Option[], operands: 'files' | 'dirs' | 'processes' }} Tool
 */

/** How an option's value is completed, by the option's name (the tables say only whether it has one). */
const VALUE_BY_NAME = {
  event: 'events',
  ascending: 'events',
  descending: 'events',
  backend: 'backends',
  fromfile: 'file',
  outfile: 'file',
  since: 'file',
  file: 'file',
};

/** A glibc getopt spec (short option string and long option table) as options. */
function fromGetopt(spec) {
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
    return { names, arg: o.argument, value: VALUE_BY_NAME[o.name] };
  });
  for (const [letter, arg] of shorts) options.push({ names: [`-${letter}`], arg });
  return options;
}

async function tools() {
  const { EVENT_NAMES, BACKEND_CHOICES } = await import('@inotifykit/event-core');
  const { INOTIFYWAIT_GETOPT } = await import('@inotifykit/inotifywait');
  const { GETOPT_SPEC } = await import('@inotifykit/inotifywatch');
  const dnotify = await import('@inotifykit/dnotify');
  const procwatch = await import('@inotifykit/procwatch');
  const dnotifyOptions = [
    ...dnotify.OPTIONS.map((o) => ({
      names: [...(o.short ? [`-${o.short}`] : []), `--${o.long}`, ...(o.aliases ?? []).map((a) => `--${a}`)],
      arg: o.takesValue ? 'required' : 'none',
      value: VALUE_BY_NAME[o.long],
    })),
    { names: [`-${dnotify.EXECUTE_SHORT}`, `--${dnotify.EXECUTE_LONG}`], arg: 'none', value: 'command' },
  ];
  const procwatchOptions = [
    ...Object.entries(procwatch.PROCWATCH_OPTIONS).map(([name, o]) => ({
      names: [...(o.alias ? [`-${o.alias}`] : []), `--${name}`, ...(o.type === 'boolean' && o.default === true ? [`--no-${name}`] : [])],
      arg: o.type === 'boolean' ? 'none' : 'required',
      value: VALUE_BY_NAME[name] ?? (['pidof', 'wait-start', 'ensure'].includes(name) ? 'processes' : undefined),
    })),
    // yargs' own .help() and .version(), aliased -h and -V in args/parse.ts.
    { names: ['-h', '--help'], arg: 'none' },
    { names: ['-V', '--version'], arg: 'none' },
    { names: [...procwatch.EXEC_OPTIONS], arg: 'none', value: 'command' },
  ];
  return {
    values: { events: EVENT_NAMES, backends: BACKEND_CHOICES },
    tools: [
      { tool: 'inotifywait', options: fromGetopt(INOTIFYWAIT_GETOPT), operands: 'files' },
      { tool: 'inotifywatch', options: fromGetopt(GETOPT_SPEC), operands: 'files' },
      { tool: 'dnotify', options: dnotifyOptions, operands: 'dirs' },
      { tool: 'procwatch', options: procwatchOptions, operands: 'processes' },
    ],
  };
}

/** bash: one function per tool, registered with `complete -F`. */
function bash({ tool, options, operands }, values) {
  const fn = `_inotifykit_${tool}`;
  const words = options.flatMap((o) => o.names);
  const cases = [];
  const byValue = (kind) => options.filter((o) => o.arg !== 'none' && o.value === kind).flatMap((o) => o.names);
  const events = byValue('events');
  if (events.length) {
    // -e takes a comma-separated list: complete the part after the last comma.
    cases.push(`    ${events.join('|')})
      local head=; [[ $cur == *,* ]] && head=\${cur%,*},
      COMPREPLY=($(compgen -P "$head" -W '${values.events.join(' ')}' -- "\${cur##*,}"))
      return ;;`);
  }
  const backends = byValue('backends');
  if (backends.length) cases.push(`    ${backends.join('|')})\n      COMPREPLY=($(compgen -W '${values.backends.join(' ')}' -- "$cur"))\n      return ;;`);
  const files = byValue('file');
  if (files.length) cases.push(`    ${files.join('|')})\n      COMPREPLY=($(compgen -f -- "$cur"))\n      return ;;`);
  const processes = byValue('processes');
  if (processes.length) cases.push(`    ${processes.join('|')})\n      ${fn}_processes\n      return ;;`);
  const other = options.filter((o) => o.arg === 'required' && !o.value).flatMap((o) => o.names);
  if (other.length) cases.push(`    ${other.join('|')})\n      return ;;`);
  const command = options.filter((o) => o.value === 'command').flatMap((o) => o.names);
  const operand =
    operands === 'dirs' ? 'COMPREPLY=($(compgen -d -- "$cur"))' : operands === 'processes' ? `${fn}_processes` : 'COMPREPLY=($(compgen -f -- "$cur"))';
  return `# bash completion for ${tool} (inotifykit), generated from its option table by scripts/completion.mjs.
${
  operands === 'processes' || processes.length
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
${cases.join('\n')}
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
function zsh({ tool, options, operands }, values) {
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const action = (kind) =>
    ({
      events: `_sequence compadd - ${values.events.join(' ')}`,
      backends: `(${values.backends.join(' ')})`,
      file: '_files',
      processes: `_process_names`,
    })[kind] ?? ' ';
  const specs = [];
  for (const o of options) {
    if (o.value === 'command') {
      for (const n of o.names) specs.push(quote(`${n}[command and its arguments]:*::command:_normal`));
      continue;
    }
    for (const n of o.names) {
      if (o.arg === 'none') specs.push(quote(n));
      else if (n.startsWith('--')) specs.push(quote(`${n}${o.arg === 'optional' ? '=-' : '='}:${o.names.at(-1).replace(/^-+/, '')}:${action(o.value)}`));
      else specs.push(quote(`${n}${o.arg === 'optional' ? '-' : '+'}:${o.names.at(-1).replace(/^-+/, '')}:${action(o.value)}`));
    }
  }
  const operand = { files: '*:file:_files', dirs: '*:directory:_files -/', processes: '*:process name:_process_names' }[operands];
  return `#compdef ${tool}
# zsh completion for ${tool} (inotifykit), generated from its option table by scripts/completion.mjs.
_arguments -s -S \\
  ${[...specs, quote(operand)].join(' \\\n  ')}
`;
}

const { values, tools: all } = await tools();
rmSync(`${root}completion`, { recursive: true, force: true });
mkdirSync(`${root}completion/bash`, { recursive: true });
mkdirSync(`${root}completion/zsh`, { recursive: true });
for (const t of all) {
  writeFileSync(`${root}completion/bash/${t.tool}`, bash(t, values));
  writeFileSync(`${root}completion/zsh/_${t.tool}`, zsh(t, values));
}
