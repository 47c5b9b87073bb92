/** --ensure PATTERN -e COMMAND...: keep a matching process running (see ensure/supervisor.ts). */
import { asBytes, toText } from '@inotifykit/event-core';
import type { ResolvedArgs } from '../args/parse.js';
import { Supervisor } from '../ensure/supervisor.js';
import { writeErr } from '../output/write.js';
import { compileSelector } from '../select/criteria.js';
import { connectorUnavailable, openConnector } from '../watch/choose-source.js';
import { ConnectorSource } from '../watch/connector-source.js';
import type { ProcessSource } from '../watch/process-source.js';
import { createExitWatcher } from '../watch/select-watcher.js';

export async function runEnsure(args: ResolvedArgs, command: string[]): Promise<number> {
  const { watch, ensure } = args;
  const selector = compileSelector(args.select);
  const supervisor = new Supervisor({
    selector,
    label: toText(asBytes(args.select.patterns.join('|'))),
    command,
    intervalMs: watch.intervalMs,
    backoff: { minMs: ensure.backoffMinMs, maxMs: ensure.backoffMaxMs, stableMs: ensure.stableMs },
    exitWatcher: createExitWatcher({ pidfd: watch.pidfd, intervalMs: watch.intervalMs }),
    log: (message) => writeErr(`procwatch: ${message}`),
  });
  // The supervisor scans every --interval anyway; the connector only makes it react at the exec.
  let source: ProcessSource | undefined;
  let failed: (err: unknown) => void = () => {};
  const sourceFailed = new Promise<never>((_, reject) => (failed = reject));
  if (watch.source !== 'scan') {
    const opened = openConnector(watch.receiveBufferBytes);
    if ('connector' in opened) {
      source = new ConnectorSource(
        { selector, reportExisting: false, connector: opened.connector, kinds: new Set(['START']), onError: (err) => failed(err) },
        () => supervisor.nudge(),
      );
    } else if (watch.source === 'connector') throw connectorUnavailable(opened.reason);
  }
  try {
    await source?.start();
    return await Promise.race([supervisor.run(), sourceFailed]);
  } finally {
    await source?.close();
    await supervisor.stop();
  }
}
