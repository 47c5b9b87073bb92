/**
 * The command line (bytes) → complete options, by the option table (cli-kit's parser). Parsing is pure
 * (no /proc, no files), except that -u names are looked up when the selector is compiled, later.
 */
import type { ByteString } from '@inotifykit/event-core';
import { packageVersion, versionLine } from '@inotifykit/cli-kit';
import type { OptionSpec, OptionTable } from '@inotifykit/cli-kit/options';
import { helpText, parseCommandLine } from '@inotifykit/cli-kit/options';
import { UsageError } from '../errors.js';
import type { SelectOptions } from '../select/criteria.js';
import type { Pick } from '../select/search.js';
import type { EnsureOptions, Mode, PidofOptionsArgs } from './mode-args.js';
import { ensureOptions, modeOptions, pidofOptions, resolveEnsure, resolveMode, resolvePidof } from './mode-args.js';
import { outputOptions, resolveOutput, type OutputOptions } from './output-args.js';
import { resolveSelect, selectOptions } from './select-args.js';
import { checkSourceKinds, resolveWatch, watchOptions, type WatchOptions } from './watch-args.js';

export interface ResolvedArgs {
  mode: Mode;
  select: SelectOptions;
  pick: Pick;
  output: OutputOptions;
  watch: WatchOptions;
  ensure: EnsureOptions;
  pidof: PidofOptionsArgs;
}

/** What the command line asks for: the options, or only the help or version text. */
export type ParseResult = { readonly kind: 'run'; readonly args: ResolvedArgs } | { readonly kind: 'print'; readonly text: string };

const otherOptions: readonly OptionSpec[] = [
  { long: 'help', short: 'h', group: 'Other', description: 'show this help and exit' },
  { long: 'version', short: 'V', group: 'Other', description: 'show the version and exit' },
];

/** Every option procwatch knows; `--` ends the options, and `-e` does not after it (a pattern may be `-e`). */
export const PROCWATCH_OPTIONS: OptionTable = {
  options: [...selectOptions, ...outputOptions, ...modeOptions, ...watchOptions, ...ensureOptions, ...pidofOptions, ...otherOptions],
};

const HEAD = `Usage: procwatch [options] PATTERN...
       procwatch --pidof NAME...
       procwatch -m [options] [PATTERN...]
       procwatch --stats [-t SECONDS] [--per-user] [PATTERN...]
       procwatch --wait-exit PID... | --wait-start PATTERN [-t SECONDS]
       procwatch --ensure PATTERN -e COMMAND [ARG...]

Find processes by name (like pgrep), watch them start and exit, keep one alive.
Exit status: 0 something matched (or the wait ended), 1 nothing matched, 2 bad usage or timeout.
`;

export function helpTextOf(): string {
  return helpText(PROCWATCH_OPTIONS, { head: HEAD });
}

export function parseArgs(argv: readonly ByteString[]): ParseResult {
  const line = parseCommandLine(PROCWATCH_OPTIONS, argv, { error: (text) => UsageError.quoting(text) });
  if (line.flag('help')) return { kind: 'print', text: helpTextOf() };
  if (line.flag('version')) return { kind: 'print', text: versionLine('procwatch', packageVersion('@inotifykit/procwatch', import.meta.url)) };
  const { mode, patterns } = resolveMode(line);
  const { select, pick, criteria } = resolveSelect(line, patterns);
  // pgrep refuses to list every process; -m with no criteria watches every process, which is useful.
  if (mode.kind === 'search' && criteria === 0) throw new UsageError('no matching criteria specified');
  if (mode.kind === 'pidof' && mode.names.length === 0) throw new UsageError('--pidof needs a program name');
  // -t is a timeout here (as in inotifywait), not pgrep's terminal filter; it only means something to a wait.
  if (line.has('timeout') && !['monitor', 'stats', 'wait-exit', 'wait-start'].includes(mode.kind)) {
    throw new UsageError('-t (timeout) is only used with -m, --stats, --wait-exit and --wait-start');
  }
  const watch = resolveWatch(line);
  checkSourceKinds(watch);
  const args = { mode, select, pick, output: resolveOutput(line), watch, ensure: resolveEnsure(line), pidof: resolvePidof(line) };
  return { kind: 'run', args };
}
