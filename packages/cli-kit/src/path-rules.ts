/**
 * Path rules beyond inotify-tools' single regex (inotify-tools #232): any number of include and exclude
 * rules, each a POSIX ERE or a glob, optionally case-insensitive.
 *
 * - An event is kept when no include rule exists or one matches, and no exclude rule matches.
 * - Regexes search `%w%f` unanchored, like `--exclude`. A glob without `/` must match the last component
 *   of `%w%f` (`*.tmp`, `node_modules`); a glob with `/` must match all of `%w%f` (`d/build/*`;
 *   `**` crosses directories).
 * - A directory that an exclude rule matches is pruned: not watched by recursive walks, at start-up or
 *   later, so what is inside it is neither reported nor costs watches (rsync's rule).
 */
import type { ByteMatcher, ByteString } from '@inotifykit/event-core';
import type { PathFilter } from '@inotifykit/event-core';
import { compileFilterRegex, compileGlob } from '@inotifykit/event-core';
import { UsageError } from './usage-error.js';
import { asBytes } from '@inotifykit/event-core';

export type RuleAction = 'include' | 'exclude';
export type RuleSyntax = 'regex' | 'glob';

export interface PathRule {
  readonly action: RuleAction;
  readonly syntax: RuleSyntax;
  readonly pattern: ByteString;
  readonly ignoreCase: boolean;
}

export interface CompiledPathRules {
  /** Keeps or drops an event by its `%w%f`; undefined when there are no rules. */
  readonly filter: PathFilter | undefined;
  /** True for a directory path (with or without its trailing `/`) that must not be watched. */
  readonly prune: ((dirPath: ByteString) => boolean) | undefined;
}

type Matcher = (path: ByteString) => boolean;

function compileRule(rule: PathRule): Matcher {
  if (rule.syntax === 'regex') {
    const re = compileFilterRegex(rule.pattern, rule.ignoreCase, rule.action);
    return (path) => re.test(path);
  }
  let re: ByteMatcher;
  try {
    re = compileGlob(rule.pattern, rule.ignoreCase);
  } catch {
    throw new UsageError(asBytes(`Error in \`${rule.action}' glob pattern: ${rule.pattern}`));
  }
  if (rule.pattern.includes('/')) return (path) => re.test(stripSlash(path));
  return (path) => re.test(lastComponent(path));
}

function stripSlash(path: ByteString): ByteString {
  return path.length > 1 && path.endsWith('/') ? asBytes(path.slice(0, -1)) : path;
}

function lastComponent(path: ByteString): ByteString {
  const p = stripSlash(path);
  return asBytes(p.slice(p.lastIndexOf('/') + 1));
}

/** Compiles the rules once. A bad regex throws PatternError, a bad glob UsageError. */
export function compilePathRules(rules: readonly PathRule[]): CompiledPathRules {
  if (rules.length === 0) return { filter: undefined, prune: undefined };
  const includes = rules.filter((r) => r.action === 'include').map(compileRule);
  const excludes = rules.filter((r) => r.action === 'exclude').map(compileRule);
  const excluded = (path: ByteString) => excludes.some((m) => m(path));
  const filter: PathFilter = (path) => (includes.length === 0 || includes.some((m) => m(path))) && !excluded(path);
  const prune = excludes.length === 0 ? undefined : (dirPath: ByteString) => excluded(stripSlash(dirPath));
  return { filter, prune };
}
