/**
 * Picks the renderer for the output format and says what one print writes where. Only the classic table
 * is loaded up front; the other formats are imported when asked for (start-up time matters).
 */
import type { ByteString } from '@inotifykit/event-core';
import type { OutputFormat } from '../args/options.js';
import { TOTAL } from '../stats/columns.js';
import type { Snapshot } from '../stats/snapshot.js';
import { renderClassic } from './classic.js';
import { asBytes } from '@inotifykit/event-core';

/** One print: bytes for stdout and a line for stderr (inotifywatch's `No events occurred.`). */
export interface Printout {
  readonly stdout: ByteString;
  readonly stderr: ByteString;
}

/** Renders a snapshot; `interim` prints (SIGUSR1, `--interval`) are followed by an empty line. */
export type Renderer = (snapshot: Snapshot, interim: boolean) => Printout;

export async function loadRenderer(format: OutputFormat): Promise<Renderer> {
  switch (format) {
    case 'classic':
      return (snapshot, interim) => {
        const gap = interim ? '\n' : '';
        // Upstream prints nothing but this when no event was counted at all, even with -z.
        if (snapshot.totals[TOTAL] === 0) return { stdout: asBytes(gap), stderr: asBytes('No events occurred.\n') };
        return { stdout: asBytes(renderClassic(snapshot) + gap), stderr: asBytes('') };
      };
    case 'table': {
      const { renderBoxed } = await import('./boxed.js');
      return (snapshot, interim) => ({ stdout: asBytes(renderBoxed(snapshot) + (interim ? '\n' : '')), stderr: asBytes('') });
    }
    case 'json': {
      // One document per line, so a stream of snapshots is NDJSON: no empty line between them.
      const { renderJson } = await import('./json.js');
      return (snapshot) => ({ stdout: renderJson(snapshot), stderr: asBytes('') });
    }
    case 'csv': {
      const { renderCsv } = await import('./csv.js');
      return (snapshot, interim) => ({ stdout: asBytes(renderCsv(snapshot) + (interim ? '\n' : '')), stderr: asBytes('') });
    }
  }
}
