/** The procwatch CLI: parse, dispatch to a mode; errors end through cli-kit's one exit path. */
import { parseArgs } from './args/parse.js';
import { rawArgs, runMain } from '@inotifykit/cli-kit';
import { writeOut } from './output/write.js';

async function main(): Promise<number> {
  // The arguments as bytes: a pattern or name that is not UTF-8 matches the process's bytes exactly.
  const parsed = parseArgs(rawArgs());
  if (parsed.kind === 'print') {
    writeOut(Buffer.from(parsed.text, 'utf8'));
    return 0;
  }
  const { args } = parsed;
  const { mode } = args;
  // Each mode is loaded on demand, so a plain search never loads the FFI, the table or the template engine.
  switch (mode.kind) {
    case 'search':
      return (await import('./modes/search-mode.js')).runSearch(args);
    case 'pidof':
      return (await import('./modes/pidof-mode.js')).runPidof(args, mode.names);
    case 'monitor':
      return (await import('./modes/monitor-mode.js')).runMonitor(args);
    case 'stats':
      return (await import('./modes/stats-mode.js')).runStats(args, mode.perUser);
    case 'wait-exit':
      return (await import('./modes/wait-exit-mode.js')).runWaitExit(args, mode.pids);
    case 'wait-start':
      return (await import('./modes/wait-start-mode.js')).runWaitStart(args);
    case 'ensure':
      return (await import('./modes/ensure-mode.js')).runEnsure(args, mode.command);
  }
}

runMain(main, { prefix: 'procwatch: ' });
