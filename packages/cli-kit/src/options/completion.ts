/**
 * What shell completion needs to know about each option, from the table (scripts/completion.mjs writes
 * the bash and zsh scripts from this and from the drop-ins' getopt tables, in the same shape).
 */
import type { OptionTable, ValueKind } from './table.js';

export interface CompletionOption {
  /** Every spelling: `-p`, `--processes`, aliases, `--no-X`. */
  readonly names: readonly string[];
  /** Whether a value follows. */
  readonly arg: 'none' | 'required';
  /** How the value (or, for `command`, the rest of the line) is completed; absent: nothing to offer. */
  readonly value?: ValueKind | 'command';
  /** The words a value may be; `list`: comma-separated. */
  readonly choices?: readonly string[];
  readonly list?: boolean;
  /** May be given more than once. */
  readonly repeatable: boolean;
  /** For zsh's descriptions. */
  readonly description: string;
}

export function completionOptions(table: OptionTable): CompletionOption[] {
  return table.options.flatMap((spec) => {
    const longs = [spec.long, ...(spec.aliases ?? [])].map((n) => `--${n}`);
    const names = [...(spec.short ? [`-${spec.short}`] : []), ...longs];
    const kind = spec.value?.kind;
    const option: CompletionOption = {
      names,
      arg: spec.value ? 'required' : 'none',
      ...(spec.endsOptions ? { value: 'command' as const } : kind && kind !== 'text' && kind !== 'number' ? { value: kind } : {}),
      ...(spec.value?.choices ? { choices: spec.value.choices } : {}),
      ...(spec.value?.list ? { list: true } : {}),
      repeatable: spec.repeatable ?? false,
      description: spec.description,
    };
    if (!spec.negatable) return [option];
    return [option, { names: [`--no-${spec.long}`], arg: 'none' as const, repeatable: false, description: `not ${spec.long}` }];
  });
}
