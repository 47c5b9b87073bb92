/**
 * The event formatter of inotifywait: `--format` templates, the default line and CSV, compiled once.
 * Output is a byte string per event; a CLI joins a batch and writes it with one syscall.
 */
import type { ByteString } from '@inotifykit/event-core';
import { csvField } from './csv.js';
import type { InotifyEvent } from '@inotifykit/event-core';
import { maskRenderer } from '@inotifykit/event-core';
import type { Template, TemplateSpec, TemplateWriter } from '@inotifykit/event-core';
import { compileTemplate, compileTemplateWriter, templateTokens } from '@inotifykit/event-core';
import { compileTimeFormat } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

export type EventFormatter = Template<InotifyEvent>;
/** A formatter that can also write its bytes straight into a buffer (see TemplateWriter). */
export type WritingFormatter = EventFormatter & { readonly write: TemplateWriter<InotifyEvent> };

/** inotifywait's default line: `%w %,e %f` and a newline. */
export const DEFAULT_FORMAT = asBytes('%w %,e %f\n');

/**
 * Who caused the event (fanotify only, so only there: with inotify `%P` stays the literal it always was).
 * Letters no inotify-tools version uses: %P pid, %C the process name (comm), %U its uid; the last two are
 * empty when the process had exited before the event was read.
 */
const PROCESS_TOKENS: Readonly<Record<string, (e: InotifyEvent) => ByteString>> = {
  P: (e) => asBytes(e.pid === undefined ? '' : String(e.pid)),
  C: (e) => e.comm ?? asBytes(''),
  U: (e) => asBytes(e.uid === undefined ? '' : String(e.uid)),
};

function eventSpec(timefmt: ByteString | undefined, processTokens = false): TemplateSpec<InotifyEvent> {
  const time = timefmt === undefined ? () => '' : compileTimeFormat(timefmt);
  return {
    tokens: {
      w: (e) => e.watchPath,
      f: (e) => e.name,
      c: (e) => asBytes(e.cookie.toString(16)),
      // %T is the time of printing, to the second, as in inotifywait.
      T: () => asBytes(time(Date.now())),
      ...(processTokens ? PROCESS_TOKENS : {}),
    },
    separated: {
      e: (sep) => {
        const render = maskRenderer(sep);
        return (e) => asBytes(render(e.mask));
      },
    },
  };
}

/** Whether `format` prints %C or %U (the process name and uid: files in /proc to read per batch). */
export function formatNamesProcess(format: ByteString): boolean {
  const used = templateTokens(format, eventSpec(undefined, true));
  return used.has('C') || used.has('U');
}

/**
 * Compiles an inotifywait `--format` (its bytes, as typed). `newline` appends `\n` (inotifywait does unless
 * `--no-newline`). `timefmt` is `--timefmt` (bytes); without it `%T` renders empty.
 */
export function compileEventFormat(
  format: ByteString,
  options: { timefmt?: ByteString | undefined; newline?: boolean; processTokens?: boolean } = {},
): WritingFormatter {
  const text = asBytes(format + (options.newline === false ? '' : '\n'));
  return withWriter(text, eventSpec(options.timefmt, options.processTokens));
}

/** The default output line. */
export function defaultFormatter(): WritingFormatter {
  return withWriter(DEFAULT_FORMAT, eventSpec(undefined));
}

function withWriter(text: ByteString, spec: TemplateSpec<InotifyEvent>): WritingFormatter {
  const render = compileTemplate(text, spec);
  return Object.assign((e: InotifyEvent) => render(e), { write: compileTemplateWriter(text, spec) });
}

/** CSV: `csv(%w),csv(%e),csv(%f)`; an empty `%w` (Q_OVERFLOW) drops the first field and its comma. */
export function csvFormatter(): EventFormatter {
  const events = maskRenderer(',');
  return (e: InotifyEvent): ByteString => {
    const head = e.watchPath === '' ? '' : csvField(e.watchPath) + ',';
    return asBytes(`${head}${csvField(asBytes(events(e.mask)))},${csvField(e.name)}\n`);
  };
}
