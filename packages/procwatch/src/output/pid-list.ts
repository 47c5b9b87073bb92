/**
 * pgrep's output shapes: PIDs (or "PID name", "PID command line") joined by the delimiter with a final
 * newline, or just the count. Built as bytes: names and command lines come out exactly as /proc has them.
 */
import type { ByteString } from '../bytes.js';
import type { ProcessInfo } from '../proc/proc-table.js';
import { asBytes } from '@inotifykit/event-core';

export type ListStyle = 'pid' | 'name' | 'full';

export interface ListOptions {
  style: ListStyle;
  /** -d; pgrep's default is a newline. */
  delimiter: ByteString;
  /** -c: print only the number of matches. */
  count: boolean;
}

export function renderPidList(found: readonly ProcessInfo[], options: ListOptions): Buffer {
  if (options.count) return Buffer.from(`${found.length}\n`, 'latin1');
  if (found.length === 0) return Buffer.alloc(0);
  const item = (p: ProcessInfo): ByteString => {
    switch (options.style) {
      case 'pid':
        return asBytes(String(p.pid));
      case 'name':
        return asBytes(`${p.pid} ${p.stat.comm}`);
      case 'full':
        return asBytes(`${p.pid} ${p.commandLine ?? p.stat.comm}`);
    }
  };
  return Buffer.from(found.map(item).join(options.delimiter) + '\n', 'latin1');
}
