/** -m: stream START and EXIT events of the matching processes until killed (or -t seconds of silence). */
import type { ResolvedArgs } from '../args/parse.js';
import { compileEventFormat, jsonRenderer } from '../output/event-format.js';
import { writeErr, writeOut } from '../output/write.js';
import { compileSelector } from '../select/criteria.js';
import { ProcSource } from '../watch/proc-source.js';
import { createExitWatcher } from '../watch/select-watcher.js';
import { Deadline, EXIT_TIMEOUT, WATCHES_ESTABLISHED } from './deadline.js';

export async function runMonitor(args: ResolvedArgs): Promise<number> {
  const { output, watch } = args;
  const selector = compileSelector(args.select);
  const render = output.json ? jsonRenderer() : compileEventFormat(output.format, output.timefmt);
  const exitWatcher = createExitWatcher({ pidfd: watch.pidfd, intervalMs: watch.intervalMs });
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  const deadline = new Deadline(watch.timeoutMs, () => finish(EXIT_TIMEOUT));
  const source = new ProcSource(
    { selector, intervalMs: watch.intervalMs, exitWatcher, reportExisting: watch.existing },
    (event) => {
      writeOut(render(event));
      deadline.restart();
    },
  );
  source.start();
  // inotifywait's handshake line: from here on, every exit is seen and every start up to --interval.
  if (!output.quiet) writeErr(WATCHES_ESTABLISHED);
  const code = await done;
  deadline.cancel();
  await source.close();
  return code;
}
