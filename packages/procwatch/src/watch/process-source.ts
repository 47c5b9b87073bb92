/**
 * What every process event source does, whichever way it learns of processes: the /proc scan
 * (proc-source.ts) or the kernel's proc connector (connector-source.ts). choose-source.ts picks one.
 */
import type { Selector } from '../select/criteria.js';
import type { ProcEvent } from './proc-event.js';

export type SourceKind = 'connector' | 'scan';

export interface ProcessSource {
  readonly kind: SourceKind;
  /**
   * The first look at /proc (every process running now is known when it returns or resolves), then
   * events. The connector's resolves once its reader thread receives.
   */
  start(): void | Promise<void>;
  /** PIDs of the matching processes currently running. */
  running(): number[];
  /**
   * Execs that could not be matched because the process was gone before it could be read (the
   * connector; the scan cannot know of those it missed).
   */
  readonly unidentified?: number;
  /** Handles at once what the kernel has already sent (the connector; the scan has nothing queued). */
  flush?(): void;
  /** Stops; no event comes after the promise resolves. */
  close(): Promise<void>;
}

/** What to watch, for either source. */
export interface SourceOptions {
  selector: Selector;
  /** Report processes already running at start-up as START events. */
  reportExisting: boolean;
  /** PIDs never reported (procwatch's own is always excluded). */
  exclude?: ReadonlySet<number>;
}

export type EventSink = (event: ProcEvent) => void;
