/**
 * A detached copy of this CLI that says when it is ready. Node cannot fork, so `inotifywait -d` and
 * `dnotify -b` start themselves again as a new session leader in `/`, and the first process waits on a
 * pipe (fd 3 of the copy) until the copy has its watches set up: a change made right after the command
 * returns is seen.
 */
import { closeSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/** The detached copy reports readiness on this fd (a pipe to the first process). */
const READY_FD = 3;
const READY = 'ready\n';

type StdioSlot = 'ignore' | 'inherit' | number;

export type DetachedOutcome =
  | { readonly kind: 'ready' }
  /** It exited before it was ready. */
  | { readonly kind: 'gone'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly kind: 'failed'; readonly error: Error };

export interface DetachOptions {
  /** The copy's arguments after the script. */
  readonly args: readonly string[];
  /** Its stdin, stdout and stderr (fd 3 is the ready pipe). */
  readonly stdio: readonly [StdioSlot, StdioSlot, StdioSlot];
  readonly env: NodeJS.ProcessEnv;
}

/** In the first process: starts the copy and resolves once it is ready, gone, or failed to start. */
export function startDetached(options: DetachOptions): Promise<DetachedOutcome> {
  // Required here: the detached copy only reports, and node:child_process would cost it ~3 ms to load.
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...options.args], {
    detached: true,
    cwd: '/',
    stdio: [...options.stdio, 'pipe'],
    env: options.env,
  });
  const channel = child.stdio[READY_FD] as Readable;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: DetachedOutcome): void => {
      if (settled) return;
      settled = true;
      channel.destroy();
      child.unref();
      resolve(outcome);
    };
    let received = '';
    channel.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes(READY)) settle({ kind: 'ready' });
    });
    channel.on('error', () => {});
    child.on('error', (error) => settle({ kind: 'failed', error }));
    child.on('exit', (code, signal) => settle({ kind: 'gone', code, signal }));
  });
}

/** In the detached copy: watches are set up; the first process may exit. */
export function reportDetachedReady(): void {
  try {
    writeSync(READY_FD, READY);
    closeSync(READY_FD);
  } catch {
    // the first process is gone already
  }
}
