/** -m: stream process events of the matching processes until killed (or -t seconds of silence). */
import type { ResolvedArgs } from '../args/parse.js';
import { compileEventFormat, jsonRenderer } from '../output/event-format.js';
import { writeErr, writeOut } from '../output/write.js';
import { compileSelector } from '../select/criteria.js';
import { createProcessSource } from '../watch/choose-source.js';
import { sourceOptions } from './source-options.js';
import { Deadline, EXIT_TIMEOUT, WATCHES_ESTABLISHED } from './deadline.js';

export async function runMonitor(args: ResolvedArgs): Promise<number> {
  const { output, watch } = args;
  const selector = compileSelector(args.select);
  const render = output.json ? jsonRenderer() : compileEventFormat(output.format, output.timefmt);
  let finish: (code: number) => void = () => {};
  let failed: (err: unknown) => void = () => {};
  const done = new Promise<number>((resolve, reject) => {
    finish = resolve;
    failed = reject;
  });
  const deadline = new Deadline(watch.timeoutMs, () => finish(EXIT_TIMEOUT));
  const source = createProcessSource(
    sourceOptions(args, selector, watch.kinds, (err) => failed(err)),
    (event) => {
      writeOut(render(event));
      deadline.restart();
    },
  );
  await source.start();
  // inotifywait's handshake line: from here on every event is seen (with the scan: every start up to --interval).
  if (!output.quiet) writeErr(WATCHES_ESTABLISHED);
  try {
    return await done;
  } finally {
    deadline.cancel();
    await source.close();
  }
}
