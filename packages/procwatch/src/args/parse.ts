/**
 * The command line, parsed with yargs and resolved into complete options. Parsing is pure (no /proc, no
 * files), except that -u names are looked up when the selector is compiled, later.
 */
import yargs from 'yargs';
import { UsageError } from '../errors.js';
import type { SelectOptions } from '../select/criteria.js';
import type { Pick } from '../select/search.js';
import {
  modeOptions,
  resolveEnsure,
  resolveMode,
  resolvePidof,
  resolveWatch,
  type EnsureOptions,
  type Mode,
  type ModeArgv,
  type PidofOptionsArgs,
  type WatchOptions,
} from './mode-args.js';
import { outputOptions, resolveOutput, type OutputArgv, type OutputOptions } from './output-args.js';
import { resolveSelect, selectOptions, type SelectArgv } from './select-args.js';
import { splitExec } from './split-exec.js';

export interface ResolvedArgs {
  mode: Mode;
  select: SelectOptions;
  pick: Pick;
  output: OutputOptions;
  watch: WatchOptions;
  ensure: EnsureOptions;
  pidof: PidofOptionsArgs;
}

const USAGE = `Usage: procwatch [options] PATTERN...
       procwatch --pidof NAME...
       procwatch -m [options] [PATTERN...]
       procwatch --stats [-t SECONDS] [--per-user] [PATTERN...]
       procwatch --wait-exit PID... | --wait-start PATTERN [-t SECONDS]
       procwatch --ensure PATTERN -e COMMAND [ARG...]

Find processes by name (like pgrep), watch them start and exit, keep one alive.
Exit status: 0 something matched (or the wait ended), 1 nothing matched, 2 bad usage or timeout.`;

/** Every option of the table (`-e COMMAND...` is cut off before: split-exec.ts; yargs adds -h and -V). */
export const PROCWATCH_OPTIONS = { ...selectOptions, ...outputOptions, ...modeOptions };

export function parseArgs(argv: readonly string[]): ResolvedArgs {
  const { args, command } = splitExec(argv);
  const parsed = yargs(args)
    .scriptName('procwatch')
    .usage(USAGE)
    .options(PROCWATCH_OPTIONS)
    .parserConfiguration({
      'parse-positional-numbers': false,
      'duplicate-arguments-array': true,
      'strip-aliased': true,
      'strip-dashed': false,
    })
    .strictOptions()
    .help('help')
    .alias('help', 'h')
    .version()
    .alias('version', 'V')
    .wrap(null)
    .fail((message, err) => {
      throw err instanceof UsageError ? err : new UsageError(message ?? err?.message ?? 'bad usage');
    })
    .parseSync();
  const positionals = parsed._.map(String);
  const { mode, patterns } = resolveMode(parsed as ModeArgv, positionals, command);
  const { select, pick, criteria } = resolveSelect(parsed as SelectArgv, patterns);
  // pgrep refuses to list every process; -m with no criteria watches every process, which is useful.
  if (mode.kind === 'search' && criteria === 0) {
    throw new UsageError('no matching criteria specified');
  }
  if (mode.kind === 'pidof' && mode.names.length === 0) throw new UsageError('--pidof needs a program name');
  // -t is a timeout here (as in inotifywait), not pgrep's terminal filter; it only means something to a wait.
  if (parsed.timeout !== undefined && !['monitor', 'stats', 'wait-exit', 'wait-start'].includes(mode.kind)) {
    throw new UsageError('-t (timeout) is only used with -m, --stats, --wait-exit and --wait-start');
  }
  const watch = resolveWatch(parsed as ModeArgv);
  if (watch.source === 'scan' && [...watch.kinds].some((k) => !['START', 'EXIT'].includes(k))) {
    throw new UsageError('--events fork, uid, gid and comm need --source=connector (the /proc scan cannot see them)');
  }
  return {
    mode,
    select,
    pick,
    output: resolveOutput(parsed as OutputArgv),
    watch,
    ensure: resolveEnsure(parsed as ModeArgv),
    pidof: resolvePidof(parsed as ModeArgv),
  };
}
