/**
 * `--json`: each change printed as the schema's file-event record (docs/json.md, built by event-core's
 * format/json.ts, so the names are inotifywait's), one per line, instead of running a command. A lost
 * queue is an overflow record. Written a batch at a time through the stdout sink: a full pipe pauses
 * reading and the kernel queue holds the rest.
 */
import type { ByteString, EventMask, InotifyEvent } from '@inotifykit/event-core';
import { IN_Q_OVERFLOW, asBytes, fileEventRecord, jsonLine, toBuffer } from '@inotifykit/event-core';
import { OutputSink } from '@inotifykit/cli-kit';

export class JsonPrinter {
  readonly #sink = new OutputSink(1);
  readonly #triggerMask: EventMask;
  /** Changes still to print before `-t COUNT` is reached. */
  #left: number;

  constructor(triggerMask: EventMask, times: number | undefined) {
    this.#triggerMask = triggerMask;
    this.#left = times ?? Number.POSITIVE_INFINITY;
  }

  /** `-t COUNT` changes have been printed. */
  get done(): boolean {
    return this.#left <= 0;
  }

  /** Prints the batch's changes (up to the count); a promise while the reader is slow. */
  print(events: readonly InotifyEvent[]): void | Promise<void> {
    const lines: ByteString[] = [];
    for (const event of events) {
      if (this.done) break;
      const overflow = (event.mask & IN_Q_OVERFLOW) !== 0;
      if (!overflow && !(event.mask & this.#triggerMask)) continue;
      lines.push(jsonLine(fileEventRecord(event)));
      if (!overflow) this.#left--; // an overflow record is not a change: it does not count
    }
    return lines.length === 0 ? undefined : this.#sink.write(toBuffer(asBytes(lines.join(''))));
  }

  /** Waits for what is still being written. */
  drain(): Promise<void> {
    return this.#sink.drain();
  }
}
