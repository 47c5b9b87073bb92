/** --ensure PATTERN -e COMMAND...: keep a matching process running (see ensure/supervisor.ts). */
import type { ResolvedArgs } from '../args/parse.js';
import { Supervisor } from '../ensure/supervisor.js';
import { writeErr } from '../output/write.js';
import { compileSelector } from '../select/criteria.js';
import { createExitWatcher } from '../watch/select-watcher.js';

export async function runEnsure(args: ResolvedArgs, command: string[]): Promise<number> {
  const { watch, ensure } = args;
  const supervisor = new Supervisor({
    selector: compileSelector(args.select),
    label: args.select.patterns.join('|'),
    command,
    intervalMs: watch.intervalMs,
    backoff: { minMs: ensure.backoffMinMs, maxMs: ensure.backoffMaxMs, stableMs: ensure.stableMs },
    exitWatcher: createExitWatcher({ pidfd: watch.pidfd, intervalMs: watch.intervalMs }),
    log: (message) => writeErr(`procwatch: ${message}`),
  });
  try {
    return await supervisor.run();
  } finally {
    await supervisor.stop();
  }
}
