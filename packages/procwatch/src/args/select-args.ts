/** Options that choose processes (pgrep's selection options). */
import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import type { SelectOptions } from '../select/criteria.js';
import type { Pick } from '../select/search.js';

const group = 'Selection:';

export const selectOptions = {
  full: { alias: 'f', type: 'boolean', group, describe: 'match PATTERN against the full command line, not the name' },
  exact: { alias: 'x', type: 'boolean', group, describe: 'PATTERN must match the whole name (or command line)' },
  'ignore-case': { alias: 'i', type: 'boolean', group, describe: 'match case-insensitively' },
  inverse: { alias: 'v', type: 'boolean', group, describe: 'select the processes that do not match' },
  euid: { alias: 'u', type: 'string', group, describe: 'only processes whose effective user is in the list (names or ids)', requiresArg: true },
  parent: { alias: 'P', type: 'string', group, describe: 'only children of the listed PIDs', requiresArg: true },
  newest: { alias: 'n', type: 'boolean', group, describe: 'only the most recently started match' },
  oldest: { alias: 'o', type: 'boolean', group, describe: 'only the least recently started match' },
} as const satisfies Record<string, Options>;

export interface SelectArgv {
  full?: boolean;
  exact?: boolean;
  'ignore-case'?: boolean;
  inverse?: boolean;
  euid?: string | string[];
  parent?: string | string[];
  newest?: boolean;
  oldest?: boolean;
}

/** A repeatable option whose values are also comma-separated lists (`-u root,daemon -u 1000`). */
export function listValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
}

/** PIDs given as text; anything but digits is bad usage. */
export function parsePids(values: string[], option: string): number[] {
  return values.map((v) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`not a number: ${v}`, `${option} takes PIDs, as numbers.`);
    return Number(v);
  });
}

export function resolveSelect(argv: SelectArgv, patterns: string[]): { select: SelectOptions; pick: Pick; criteria: number } {
  if (argv.newest && argv.oldest) throw new UsageError('-n and -o cannot be used together');
  if (argv.inverse && (argv.newest || argv.oldest)) throw new UsageError('-v cannot be used with -n or -o');
  const users = listValues(argv.euid);
  const parents = parsePids(listValues(argv.parent), '-P');
  const select: SelectOptions = {
    patterns,
    full: argv.full ?? false,
    exact: argv.exact ?? false,
    ignoreCase: argv['ignore-case'] ?? false,
    inverse: argv.inverse ?? false,
    users,
    parents,
  };
  const pick: Pick = argv.newest ? 'newest' : argv.oldest ? 'oldest' : 'all';
  // pgrep counts these as criteria: without a pattern, at least one is needed.
  const criteria = patterns.length + (users.length > 0 ? 1 : 0) + (parents.length > 0 ? 1 : 0) + (pick !== 'all' ? 1 : 0);
  return { select, pick, criteria };
}

