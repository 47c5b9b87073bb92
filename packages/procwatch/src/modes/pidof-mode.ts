/** --pidof NAME...: pidof's matching and output shape (newest first, one line, space-separated). */
import type { ResolvedArgs } from '../args/parse.js';
import { writeOut } from '../output/write.js';
import { pidof } from '../select/pidof.js';
import { asBytes, type ByteString } from '@inotifykit/event-core';

export function runPidof(args: ResolvedArgs, names: readonly ByteString[]): number {
  const pids = pidof(names, args.pidof);
  if (pids.length === 0) return 1;
  if (!args.output.quiet) writeOut(asBytes(pids.join(args.output.delimiter ?? ' ') + '\n'));
  return 0;
}
