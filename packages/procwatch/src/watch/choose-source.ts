/**
 * Chooses the process event source: the kernel's proc connector when it can be had (before Linux 6.6 that
 * needs CAP_NET_ADMIN; it is never there inside another network, user or PID namespace), else the /proc
 * scan, which says once on stderr that short-lived processes can be missed. `--source` forces either.
 */
import { NetlinkError, ProcConnector, strerror } from '@inotifykit/sys';
import { ProcwatchError } from '../errors.js';
import { ConnectorSource } from './connector-source.js';
import type { ProcEventKind } from './proc-event.js';
import { ProcSource } from './proc-source.js';
import type { EventSink, ProcessSource, SourceKind, SourceOptions } from './process-source.js';
import { createExitWatcher } from './select-watcher.js';

export type SourceChoice = SourceKind | 'auto';

export interface ChooseOptions extends SourceOptions {
  choice: SourceChoice;
  kinds: ReadonlySet<ProcEventKind>;
  /** For the scan: time between scans, and pidfds for exits. */
  intervalMs: number;
  pidfd: boolean;
  /** The connector's socket buffer (undefined: its default). */
  receiveBufferBytes?: number;
  /** Where the fallback notice goes (not called under -q). */
  notice: ((message: string) => void) | undefined;
  /** Say unidentified execs on `notice` as they happen (default true; --stats says them with its table). */
  sayUnidentified?: boolean;
  onError: (err: unknown) => void;
}

/** Why the connector cannot be had, in words ("bind: Operation not permitted"). */
function reason(err: unknown): string {
  if (err instanceof NetlinkError) return `${err.call}: ${strerror(err.errno)}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The connector, or why not. With taskstats where allowed (root; INOTIFYKIT_TASKSTATS=0 switches it off):
 * it names processes reaped before /proc/PID could be read (see connector-source.ts).
 */
export function openConnector(receiveBufferBytes?: number): { connector: ProcConnector } | { reason: string } {
  try {
    return { connector: ProcConnector.open({ receiveBufferBytes, taskstats: true }) };
  } catch (err) {
    return { reason: reason(err) };
  }
}

/** The one-line notice of the fallback. */
export function scanNotice(why: string, intervalMs: number): string {
  return (
    `procwatch: no kernel process events (${why}; before Linux 6.6 they need CAP_NET_ADMIN): ` +
    `scanning /proc every ${intervalMs / 1000} s, so a process that lives shorter than that can be missed`
  );
}

/** The kinds only the connector can see. */
const CONNECTOR_ONLY: readonly ProcEventKind[] = ['FORK', 'UID', 'GID', 'COMM'];

export function connectorUnavailable(why: string): ProcwatchError {
  return new ProcwatchError(`cannot listen to the kernel's process events: ${why}`, 1, 'Run as root (CAP_NET_ADMIN), or use --source=scan.');
}

export function createProcessSource(options: ChooseOptions, onEvent: EventSink): ProcessSource {
  const { choice, kinds } = options;
  if (choice !== 'scan') {
    const opened = openConnector(options.receiveBufferBytes);
    if ('connector' in opened) {
      const notice = options.sayUnidentified === false ? undefined : options.notice;
      return new ConnectorSource({ ...options, notice, connector: opened.connector }, onEvent);
    }
    const wanted = CONNECTOR_ONLY.filter((k) => kinds.has(k));
    if (choice === 'connector' || wanted.length > 0) throw connectorUnavailable(opened.reason);
    options.notice?.(scanNotice(opened.reason, options.intervalMs));
  }
  const exitWatcher = createExitWatcher({ pidfd: options.pidfd, intervalMs: options.intervalMs });
  return new ProcSource({ ...options, exitWatcher }, (event) => {
    if (kinds.has(event.kind)) onEvent(event);
  });
}
