/**
 * inotify-tools' `--exclude/--excludei/--include/--includei`: one regex slot. Each flag keeps its last
 * value; the post-parse checks reject combinations with inotify-tools' exact messages, in its order; a
 * repeated `--exclude`/`--excludei` earns inotifywait's warning (inotifywatch prints none).
 */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import type { PathFilter, RegexFilterSpec } from '@inotifykit/event-core';
import { compileEre } from '@inotifykit/event-core';
import { UsageError } from './usage-error.js';
import { asBytes } from '@inotifykit/event-core';

export type RegexFlag = 'exclude' | 'excludei' | 'include' | 'includei';

export const REGEX_FLAGS: readonly RegexFlag[] = ['exclude', 'excludei', 'include', 'includei'];

/** The one effective regex, compiled: `test` on `%w%f`, and whether a match keeps or drops the event. */
export interface CompiledRegexOption {
  readonly spec: RegexFilterSpec;
  readonly regex: RegExp;
  /** Keeps or drops an event by its `%w%f`. */
  readonly filter: PathFilter;
}

export class RegexOptions {
  readonly #last = new Map<RegexFlag, ByteString>();
  readonly #count = new Map<RegexFlag, number>();

  /** Records one occurrence (the pattern as typed, bytes). */
  set(flag: RegexFlag, pattern: ByteString): void {
    this.#last.set(flag, pattern);
    this.#count.set(flag, (this.#count.get(flag) ?? 0) + 1);
  }

  get given(): boolean {
    return this.#last.size > 0;
  }

  /** inotify-tools' post-parse checks, in its order. Throws UsageError. */
  check(): void {
    const has = (f: RegexFlag) => this.#last.has(f);
    if (has('exclude') && has('excludei')) throw new UsageError(asBytes('--exclude and --excludei cannot both be specified.'));
    if (has('include') && has('includei')) throw new UsageError(asBytes('--include and --includei cannot both be specified.'));
    if ((has('include') || has('includei')) && (has('exclude') || has('excludei'))) {
      throw new UsageError(asBytes('include and exclude regexp cannot both be specified.'));
    }
  }

  /** inotifywait's warnings for a repeated `--exclude`/`--excludei` (one line each). */
  repeatWarnings(): string[] {
    const out: string[] = [];
    for (const flag of ['exclude', 'excludei'] as const) {
      if ((this.#count.get(flag) ?? 0) > 1) out.push(`--${flag}: only the last option will be taken into consideration.`);
    }
    return out;
  }

  /** The effective regex (after check(): at most one flag kind is set). */
  spec(): RegexFilterSpec | undefined {
    for (const flag of REGEX_FLAGS) {
      const pattern = this.#last.get(flag);
      if (pattern === undefined) continue;
      return {
        kind: flag.startsWith('include') ? 'include' : 'exclude',
        pattern: toText(pattern),
        ignoreCase: flag.endsWith('i'),
      };
    }
    return undefined;
  }

  /** Compiles the effective regex; a bad one throws PatternError (``Error in `exclude' regular expression.``). */
  compile(): CompiledRegexOption | undefined {
    const spec = this.spec();
    if (!spec) return undefined;
    const regex = compileEre(spec.pattern, spec.ignoreCase, spec.kind);
    const filter: PathFilter = spec.kind === 'include' ? (p) => regex.test(p) : (p) => !regex.test(p);
    return { spec, regex, filter };
  }
}
