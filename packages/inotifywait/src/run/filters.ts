/**
 * What decides which events are printed and which directories are watched, compiled once before anything
 * is watched: the classic `--exclude`/`--include` regex, the extension rules, and the directory pruner.
 */
import type { ByteString, PathFilter } from '@inotifykit/event-core';
import { allOf, asBytes } from '@inotifykit/event-core';
import type { CompiledPathRules, CompiledRegexOption } from '@inotifykit/cli-kit';
import type { InotifywaitOptions } from '../options.js';

const NO_RULES: CompiledPathRules = { filter: undefined, prune: undefined };

export interface Filters {
  readonly classic: CompiledRegexOption | undefined;
  readonly rules: CompiledPathRules;
  /** Both together, on `%w%f`; undefined when there is neither. */
  readonly filter: PathFilter | undefined;
}

/** Throws the option's error (a bad regex or glob). */
export async function compileFilters(o: InotifywaitOptions): Promise<Filters> {
  const classic = o.regex.compile();
  // The glob and rule compiler is loaded only when a rule is given.
  const rules = o.rules.length === 0 ? NO_RULES : (await import('@inotifykit/cli-kit')).compilePathRules(o.rules);
  const filter = allOf([classic?.filter, rules.filter].filter((f): f is PathFilter => f !== undefined));
  return { classic, rules, filter };
}

/**
 * Directories not to watch. Extension exclude rules prune every walk. The classic `--exclude` (3.22)
 * drops the CREATE of a matching new directory before inotifywait sees it, so that directory is never
 * watched; the start-up walk ignores it. (`--include` no longer stops new directories: 4.25's fix.)
 */
export function pruner({ classic, rules }: Filters, started: () => boolean): ((dirPath: ByteString) => boolean) | undefined {
  const classicExclude = classic?.spec.kind === 'exclude' ? classic.regex : undefined;
  if (!classicExclude && !rules.prune) return undefined;
  return (dirPath) => {
    if (rules.prune?.(dirPath)) return true;
    return classicExclude !== undefined && started() && classicExclude.test(asBytes(dirPath.slice(0, -1)));
  };
}
