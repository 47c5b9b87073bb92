/**
 * The one path from an error to stderr to an exit status, for every CLI. An InotifyKitError is expected:
 * its message bytes (after the tool's prefix, for the tools whose messages carry one) and its hint go to
 * stderr in one write, and its exit code is the status. Anything else is a bug in inotifykit: one line
 * that says so, the stack only with INOTIFYKIT_DEBUG=1, status 1 — never a bare stack trace.
 */
import { writeSync } from 'node:fs';
import { InotifyKitError, fromText, toBuffer } from '@inotifykit/event-core';
import type { ByteString } from '@inotifykit/event-core';
import { asBytes } from '@inotifykit/event-core';

export interface ErrorStyle {
  /** Put before the message, e.g. `procwatch: ` (inotify-tools' own messages have none). */
  readonly prefix?: string;
}

/** An error's lines (no newlines): its message bytes, then its hint if it has one. */
export function errorLines(err: InotifyKitError): ByteString[] {
  return err.hint === undefined || err.hint === '' ? [err.messageBytes] : [err.messageBytes, fromText(err.hint)];
}

/** The stderr text for an error, with its final newline. */
export function errorText(err: unknown, style: ErrorStyle = {}): ByteString {
  const prefix = fromText(style.prefix ?? '');
  if (err instanceof InotifyKitError) return asBytes(`${prefix}${errorLines(err).join('\n')}\n`);
  const detail = err instanceof Error ? err.message : String(err);
  const stack = process.env.INOTIFYKIT_DEBUG === '1' && err instanceof Error && err.stack ? `${fromText(err.stack)}\n` : '';
  return asBytes(`${prefix}internal error: ${fromText(detail)}\n${stack}`);
}

/** Writes the error to stderr (a closed stderr is ignored) and returns the exit status for it. */
export function reportError(err: unknown, style: ErrorStyle = {}): number {
  try {
    writeSync(2, toBuffer(errorText(err, style)));
  } catch {
    // stderr closed: the exit status still tells
  }
  return err instanceof InotifyKitError ? err.exitCode : 1;
}

/** Runs a CLI's main: exits with the status it resolves to, or reports what it throws and exits with that. */
export function runMain(main: () => Promise<number>, style: ErrorStyle = {}): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => process.exit(reportError(err, style)),
  );
}
