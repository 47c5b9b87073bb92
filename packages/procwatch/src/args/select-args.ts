/** Options that choose processes (pgrep's selection options). */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import type { CommandLine, OptionSpec } from '@inotifykit/cli-kit/options';
import { UsageError } from '../errors.js';
import type { SelectOptions } from '../select/criteria.js';
import type { Pick } from '../select/search.js';
import { listValues, parsePids } from './values.js';

const group = 'Selection';

export const selectOptions: readonly OptionSpec[] = [
  { long: 'full', short: 'f', group, description: 'match PATTERN against the full command line, not the name' },
  { long: 'exact', short: 'x', group, description: 'PATTERN must match the whole name (or command line)' },
  { long: 'ignore-case', short: 'i', group, description: 'match case-insensitively' },
  { long: 'inverse', short: 'v', group, description: 'select the processes that do not match' },
  {
    long: 'euid',
    short: 'u',
    value: { name: 'USERS', kind: 'user', list: true },
    repeatable: true,
    group,
    description: 'only processes whose effective user is in the list (names or ids, comma-separated)',
  },
  {
    long: 'parent',
    short: 'P',
    value: { name: 'PIDS', kind: 'pid', list: true },
    repeatable: true,
    group,
    description: 'only children of the listed PIDs (comma-separated)',
  },
  { long: 'newest', short: 'n', group, description: 'only the most recently started match' },
  { long: 'oldest', short: 'o', group, description: 'only the least recently started match' },
];

export function resolveSelect(line: CommandLine, patterns: ByteString[]): { select: SelectOptions; pick: Pick; criteria: number } {
  const newest = line.flag('newest');
  const oldest = line.flag('oldest');
  const inverse = line.flag('inverse');
  if (newest && oldest) throw new UsageError('-n and -o cannot be used together');
  if (inverse && (newest || oldest)) throw new UsageError('-v cannot be used with -n or -o');
  // User names are looked up as text (/etc/passwd, NSS).
  const users = listValues(line.values('euid')).map(toText);
  const parents = parsePids(listValues(line.values('parent')), '-P');
  const select: SelectOptions = {
    patterns,
    full: line.flag('full'),
    exact: line.flag('exact'),
    ignoreCase: line.flag('ignore-case'),
    inverse,
    users,
    parents,
  };
  const pick: Pick = newest ? 'newest' : oldest ? 'oldest' : 'all';
  // pgrep counts these as criteria: without a pattern, at least one is needed.
  const criteria = patterns.length + (users.length > 0 ? 1 : 0) + (parents.length > 0 ? 1 : 0) + (pick !== 'all' ? 1 : 0);
  return { select, pick, criteria };
}
