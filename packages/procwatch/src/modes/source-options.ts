/** The source options every watching mode builds the same way from the command line. */
import type { ResolvedArgs } from '../args/parse.js';
import { writeErr } from '../output/write.js';
import type { Selector } from '../select/criteria.js';
import type { ChooseOptions } from '../watch/choose-source.js';
import type { ProcEventKind } from '../watch/proc-event.js';

export function sourceOptions(
  args: ResolvedArgs,
  selector: Selector,
  kinds: ReadonlySet<ProcEventKind>,
  onError: (err: unknown) => void,
): ChooseOptions {
  const { watch, output } = args;
  return {
    selector,
    reportExisting: args.mode.kind === 'monitor' && watch.existing,
    choice: watch.source,
    kinds,
    intervalMs: watch.intervalMs,
    pidfd: watch.pidfd,
    receiveBufferBytes: watch.receiveBufferBytes,
    notice: output.quiet ? undefined : writeErr,
    onError,
  };
}
