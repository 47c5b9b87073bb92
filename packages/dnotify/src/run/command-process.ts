/**
 * One run of the command: started without a shell, in its own process group (so a signal reaches
 * everything it started), with dnotify's stdout and stderr and no stdin.
 */
import type { ByteString } from '@inotifykit/event-core';
import { strerror } from '@inotifykit/event-core';
import { spawnArgv } from './spawn-argv.js';

/** How a run ended. */
export type Outcome =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signaled'; readonly signal: NodeJS.Signals }
  /** The program could not be started at all (not found, not executable). */
  | { readonly kind: 'not-started'; readonly reason: string };

export interface RunningCommand {
  /** The directory that triggered this run. */
  readonly directory: ByteString;
  /** The argv, `{}` substituted. */
  readonly argv: readonly ByteString[];
  readonly done: Promise<Outcome>;
  /** Sends a signal to the run's whole process group (a shell and its pipeline, not only the shell). */
  signal(signal: NodeJS.Signals): void;
}

export function startCommand(argv: readonly ByteString[], directory: ByteString, env: NodeJS.ProcessEnv): RunningCommand {
  // detached: the child leads a new session and process group. A terminal's Ctrl-C then reaches dnotify
  // only, which forwards it (and SIGTERM) to every group it started, and waits for them.
  const child = spawnArgv(argv, { stdio: ['ignore', 'inherit', 'inherit'], detached: true, env });
  const done = new Promise<Outcome>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve({ kind: 'not-started', reason: typeof err.errno === 'number' ? strerror(Math.abs(err.errno), err.message) : err.message });
    });
    child.once('exit', (code, signal) => {
      resolve(signal ? { kind: 'signaled', signal } : { kind: 'exited', code: code ?? 0 });
    });
  });
  return {
    directory,
    argv,
    done,
    signal(signal) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone
      }
    },
  };
}
