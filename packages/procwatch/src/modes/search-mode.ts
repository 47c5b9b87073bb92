/** The default mode: print the matching PIDs like pgrep, or a table with --table. */
import type { ResolvedArgs } from '../args/parse.js';
import { renderPidList } from '../output/pid-list.js';
import { writeErr, writeOut } from '../output/write.js';
import { compileSelector } from '../select/criteria.js';
import { search } from '../select/search.js';
import { asBytes } from '@inotifykit/event-core';

/** pgrep's hint: a plain name longer than 15 bytes can never equal a `comm`. */
function isLongPlainName(pattern: string): boolean {
  return pattern.length > 15 && !/[|[]/.test(pattern);
}

export async function runSearch(args: ResolvedArgs): Promise<number> {
  const { output } = args;
  const selector = compileSelector(args.select);
  const extra = output.table ? { status: true, cmdline: true } : output.style === 'full' ? { cmdline: true } : {};
  const found = search(selector, { pick: args.pick, extra });
  if (output.table && !output.count) {
    // The table is text (box drawing, names shown as UTF-8), not bytes.
    if (found.length > 0) writeOut(Buffer.from((await import('../output/table.js')).renderTable(found), 'utf8'));
  } else {
    writeOut(renderPidList(found, { style: output.style, delimiter: output.delimiter ?? asBytes('\n'), count: output.count }));
  }
  if (found.length === 0 && !args.select.full && !output.quiet && args.select.patterns.some(isLongPlainName)) {
    writeErr(
      'procwatch: pattern that searches for process name longer than 15 characters will result in zero matches\n' +
        "Try `procwatch -f' option to match against the complete command line.",
    );
  }
  return found.length > 0 ? 0 : 1;
}
