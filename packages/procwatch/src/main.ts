/** The procwatch CLI: parse, dispatch to a mode; errors end through cli-kit's one exit path. */
import { parseArgs } from './args/parse.js';
import { runMain } from '@inotifykit/cli-kit';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
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

runMain(() => main(process.argv.slice(2)), { prefix: 'procwatch: ' });
