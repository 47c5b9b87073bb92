/**
 * How one event is printed: the default line, `-c`, `--format`, or `--json`. Chosen and compiled once;
 * the heavier modules (templates with strftime, JSON) are loaded only when asked for.
 */
import type { ByteString, TemplateWriter } from '@inotifykit/event-core';
import type { InotifyEvent } from '@inotifykit/event-core';
import { maskRenderer, writeBytes } from '@inotifykit/event-core';
import type { InotifywaitOptions } from './options.js';
import { asBytes } from '@inotifykit/event-core';

/**
 * An event as its output bytes (a byte string); `write`, where there is one, puts the same bytes into a
 * buffer instead (see TemplateWriter), so a batch is rendered without a string per event.
 */
export type EventRenderer = ((event: InotifyEvent) => ByteString) & { readonly write?: TemplateWriter<InotifyEvent> };

const commaMask = maskRenderer(',');
/** The default line, `%w %,e %f\n`, without loading the template engine. */
const defaultLine: EventRenderer = Object.assign(
  (e: InotifyEvent) => asBytes(`${e.watchPath} ${commaMask(e.mask)} ${e.name}\n`),
  {
    write: (e: InotifyEvent, into: Buffer, at: number): number => {
      let pos = writeBytes(e.watchPath, into, at);
      if (pos >= 0 && pos < into.length) into[pos++] = 0x20;
      else return -1;
      pos = writeBytes(asBytes(commaMask(e.mask)), into, pos);
      if (pos >= 0 && pos < into.length) into[pos++] = 0x20;
      else return -1;
      pos = writeBytes(e.name, into, pos);
      if (pos >= 0 && pos < into.length) into[pos++] = 0x0a;
      else return -1;
      return pos;
    },
  },
);

export async function createRenderer(o: InotifywaitOptions): Promise<EventRenderer> {
  if (o.json) return (await import('./json-format.js')).jsonEventFormatter();
  if (o.csv) return (await import('./output/format.js')).csvFormatter();
  if (o.format !== undefined) {
    const { compileEventFormat } = await import('./output/format.js');
    return compileEventFormat(o.format, {
      timefmt: o.timefmt,
      newline: !o.noNewline,
      processTokens: o.backend === 'fanotify',
    });
  }
  return defaultLine;
}

/**
 * inotifywait's `validate_format`: it renders the format for a made-up event whose `%w` and `%f` are empty
 * and rejects an empty result (only possible with `--no-newline`) or a format longer than 4096 bytes
 * (counting the newline it appends).
 */
export function formatIsValid(format: ByteString, noNewline: boolean): boolean {
  const full = noNewline ? format : format + '\n';
  if (full.length === 0 || full.length > 4096) return false;
  return !/^(?:%[wf])*$/.test(full);
}
