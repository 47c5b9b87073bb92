/**
 * `--help` from the option table: the tool's own head (usage lines, one sentence) and foot, and between
 * them every option under its group heading, in the table's order, in the GNU layout
 * (`  -p, --processes COUNT   run at most ...`, descriptions wrapped at 80 columns).
 */
import type { OptionSpec, OptionTable } from './table.js';

export interface HelpLayout {
  /** Before the options: usage line(s) and a sentence, each line ending in a newline. */
  readonly head: string;
  /** After the options (exit status, signals), each line ending in a newline. */
  readonly foot?: string;
}

const WIDTH = 80;
/** Where descriptions start: after `  -x, --long VALUE` and at least two spaces. */
const COLUMN = 26;

/** `-p, --processes COUNT`: every spelling, then the value's name. */
export function optionSynopsis(spec: OptionSpec): string {
  const longs = [spec.long, ...(spec.aliases ?? []), ...(spec.negatable ? [`no-${spec.long}`] : [])].map((n) => `--${n}`);
  const value = spec.value ? ` ${spec.value.name}` : spec.endsOptions ? ' COMMAND...' : '';
  return `${spec.short ? `-${spec.short}, ` : '    '}${longs.join(', ')}${value}`;
}

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}

function optionLines(spec: OptionSpec): string {
  const left = `  ${optionSynopsis(spec)}`;
  const indent = ' '.repeat(COLUMN);
  const [first, ...more] = wrap(spec.description, WIDTH - COLUMN);
  const lines = left.length + 2 <= COLUMN ? [left.padEnd(COLUMN) + first] : [left, indent + first];
  return [...lines, ...more.map((l) => indent + l)].join('\n') + '\n';
}

export function helpText(table: OptionTable, layout: HelpLayout): string {
  const groups = new Map<string, OptionSpec[]>();
  for (const spec of table.options) {
    const members = groups.get(spec.group) ?? [];
    members.push(spec);
    groups.set(spec.group, members);
  }
  const sections = [...groups].map(([heading, specs]) => `${heading}:\n${specs.map(optionLines).join('')}`);
  return `${layout.head}\n${sections.join('\n')}${layout.foot ? `\n${layout.foot}` : ''}`;
}
