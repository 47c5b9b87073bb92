/**
 * The drop-ins' own options (inotifywait's and inotifywatch's extensions), declared once: the getopt
 * long options (`extensionLongOptions`), the extension section of `--help` (`extensionHelp`) and what
 * shell completion offers (`extensionCompletion`, read by scripts/completion.mjs) are all made from the
 * table, so an extension cannot be added without its help and completion. The classic options stay as
 * inotify-tools has them: their getopt table in the tool and their help text verbatim.
 *
 * The help is in inotify-tools' tab layout, not cli-kit's GNU one (`help.ts`): it follows the classic
 * text in the same output. Nothing here imports yargs, so the drop-ins load it through `@inotifykit/cli-kit`.
 */
import type { ArgumentRule, LongOption } from '../getopt.js';
import type { ValueKind } from './table.js';

export interface ExtensionValue {
  /** Shown in the help (`<file>`, `FD`); absent: the choices, `inotify|fanotify|...`. */
  readonly name?: string;
  /** For completion (as in the option table of the other tools). */
  readonly kind?: ValueKind;
  readonly choices?: readonly string[];
  /** A comma-separated list of `choices`. */
  readonly list?: boolean;
  /** The value may be left out (`--ready`, `--ready=FD`: getopt's optional argument, `=` only). */
  readonly optional?: boolean;
}

export interface ExtensionOption {
  /** Long name, without dashes; also the key getopt reports. */
  readonly long: string;
  /** Single-letter form, shown in the help (`-I|--inotify`); the letter itself is in the tool's optstring. */
  readonly short?: string;
  /** The option takes a value; the help shows `name` (`<file>`), else `choices` joined by `|`. */
  readonly value?: ExtensionValue;
  /**
   * In the tool's classic getopt table already (3.22.6 parses -I/-F/-S but does not document them):
   * described here, not added to the long options again.
   */
  readonly classic?: boolean;
  /** For completion menus, where the entry describes several options: what this one does. */
  readonly summary?: string;
}

/** One paragraph of the help: options described together (`--exclude-regex`, `--include-regex`, ...). */
export interface ExtensionEntry {
  readonly options: readonly ExtensionOption[];
  /** Plain text, wrapped by the layout; `{program}` is the name the tool was called by. */
  readonly description: string;
}

export type ExtensionTable = readonly ExtensionEntry[];

/** -I, -F, -S: inotify-tools' own options (classic), in both drop-ins' extension tables with their own description. */
export const WATCH_KIND_OPTIONS: readonly ExtensionOption[] = [
  { long: 'inotify', short: 'I', classic: true, summary: 'Watch with inotify.' },
  { long: 'fanotify', short: 'F', classic: true, summary: 'Watch with fanotify (needs CAP_SYS_ADMIN).' },
  { long: 'filesystem', short: 'S', classic: true, summary: 'Watch the entire filesystem below each path with one fanotify mark.' },
];

/**
 * How the tool's own classic help lays an option out, which the section repeats:
 * - `inotifywait`: `\t-h|--help     \tShow...`: the synopsis padded to 14 columns and a tab, or alone on
 *   its line when longer; further lines `\t` + 14 spaces + `\t`.
 * - `inotifywatch`: `\t-r|--recursive\tWatch...`: a short flag's synopsis, then tabs to column 24, further
 *   lines aligned there; an option with a value, or a longer synopsis, alone on its line, the description
 *   below it after `\t\t`.
 */
export type ExtensionLayout = 'inotifywait' | 'inotifywatch';

/** Description text per line, in columns, as the classic texts wrap theirs (from column 24; 16). */
const TEXT_WIDTH: Record<ExtensionLayout, number> = { inotifywait: 64, inotifywatch: 62 };
/** Synopses of one entry share a line up to this width (`--exclude-regex <re>, --include-regex <re>`). */
const SYNOPSIS_WIDTH = 46;
const PAD = 14;

function argumentRule(option: ExtensionOption): ArgumentRule {
  return option.value ? (option.value.optional ? 'optional' : 'required') : 'none';
}

/** The long options to append to the tool's classic getopt table, in the table's order. */
export function extensionLongOptions(table: ExtensionTable): LongOption[] {
  return table
    .flatMap((entry) => entry.options)
    .filter((option) => !option.classic)
    .map((option) => ({ name: option.long, argument: argumentRule(option), key: option.long, extension: true }));
}

/** `-I|--inotify`, `--since <file>`, `--ready[=FD]`, `--backend inotify|fanotify|parcel|auto`. */
export function extensionSynopsis(option: ExtensionOption): string {
  const name = `${option.short ? `-${option.short}|` : ''}--${option.long}`;
  const value = option.value;
  if (!value) return name;
  const shown = value.name ?? (value.choices ?? []).join('|');
  return value.optional ? `${name}[=${shown}]` : `${name} ${shown}`;
}

/** Words in lines of at most `width` characters (a longer word stands alone). */
function wrap(words: readonly string[], width: number, separator: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + separator.length + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line}${separator}${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function entryText(entry: ExtensionEntry, layout: ExtensionLayout, program: string): string {
  const synopses = wrap(entry.options.map(extensionSynopsis), SYNOPSIS_WIDTH, ', ');
  const words = entry.description.split('{program}').join(program).split(/\s+/).filter((w) => w !== '');
  const text = wrap(words, TEXT_WIDTH[layout], ' ');
  const only = synopses.length === 1 ? synopses[0]! : undefined;
  if (layout === 'inotifywait') {
    const more = `\t${' '.repeat(PAD)}\t`;
    const inline = only !== undefined && only.length <= PAD;
    const head = inline ? [`\t${only.padEnd(PAD)}\t${text[0]}`] : [...synopses.map((s) => `\t${s}`), more + text[0]];
    return [...head, ...text.slice(1).map((line) => more + line)].join('\n') + '\n';
  }
  // Column 8 + the synopsis, then tabs (stops every 8 columns) to column 24.
  const inline = only !== undefined && only.length < 16 && !entry.options.some((o) => o.value);
  if (!inline) return [...synopses.map((s) => `\t${s}`), ...text.map((line) => `\t\t${line}`)].join('\n') + '\n';
  const tabs = only.length < 8 ? '\t\t' : '\t';
  return [`\t${only}${tabs}${text[0]}`, ...text.slice(1).map((line) => `\t\t\t${line}`)].join('\n') + '\n';
}

/** The section's option lines (the tool prints its heading before them). */
export function extensionHelp(table: ExtensionTable, layout: ExtensionLayout, program: string): string {
  return table.map((entry) => entryText(entry, layout, program)).join('');
}

/** What completion needs of one option (the shape scripts/completion.mjs reads; see completion.ts). */
export interface ExtensionCompletion {
  readonly value?: ValueKind;
  readonly choices?: readonly string[];
  readonly list?: boolean;
  /** For zsh's descriptions. */
  readonly description: string;
}

/** The first sentence, which is what a completion menu has room for. */
function firstSentence(text: string): string {
  const end = text.search(/\.\s/);
  return end < 0 ? text : text.slice(0, end + 1);
}

/**
 * By long name, for every option of the table (classic ones too: the table describes them). The
 * description is the option's summary, else the first sentence of its entry's.
 */
export function extensionCompletion(table: ExtensionTable, program: string): Record<string, ExtensionCompletion> {
  const byName: Record<string, ExtensionCompletion> = {};
  for (const entry of table) {
    const text = firstSentence(entry.description.split('{program}').join(program).replace(/\s+/g, ' ').trim());
    for (const option of entry.options) {
      const description = option.summary ?? text;
      const kind = option.value?.kind;
      byName[option.long] = {
        ...(kind && kind !== 'text' && kind !== 'number' ? { value: kind } : {}),
        ...(option.value?.choices ? { choices: option.value.choices } : {}),
        ...(option.value?.list ? { list: true } : {}),
        description,
      };
    }
  }
  return byName;
}
