/**
 * One dnotify run: watch the directories, turn changes into commands, and end cleanly —
 *
 * - after `--times` runs have finished, or with `--json` that many changes were printed (exit 0);
 * - on SIGINT/SIGTERM/SIGHUP: no new command starts, the queue is dropped, running commands get the
 *   signal (their process groups) and are waited for; then dnotify dies of the same signal, so its parent
 *   sees the conventional status (130, 143, 129). A second signal sends SIGKILL to the commands.
 * - when no watched directory is left (all deleted or unmounted): queued runs finish, then exit 1.
 */
import type { ByteString, EventMask, InotifyEvent } from '@inotifykit/event-core';
import { WatchError, Watcher, toText } from '@inotifykit/event-core';
import { DirectoryError } from './errors.js';
import type { Outcome, RunningCommand } from './run/command-process.js';
import { startCommand } from './run/command-process.js';
import { compileCommand } from './run/command-template.js';
import { outcomeWarning } from './run/report.js';
import type { ScheduleLimits } from './run/scheduler.js';
import { Scheduler } from './run/scheduler.js';
import { JsonPrinter } from './output/json-printer.js';
import { kernelMask } from './watch/event-selection.js';
import { triggersOf } from './watch/triggers.js';
import { warn } from './warn.js';

/** Everything a session needs, resolved and checked. */
export interface DnotifyConfig {
  /** Directories as `{}` spells them (trailing slashes stripped), each checked to be a directory. */
  readonly directories: readonly ByteString[];
  /** The inotify events that trigger the command. */
  readonly triggerMask: EventMask;
  readonly recursive: boolean;
  /** argv with `{}` markers. */
  readonly command: readonly ByteString[];
  readonly limits: ScheduleLimits;
  readonly silent: boolean;
  /** `--json`: print the changes instead of running the command. */
  readonly json: boolean;
}

export type SessionEnd =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals };

const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Watches are set up before this returns (errors throw); the promise settles when the session ends. */
export function startSession(config: DnotifyConfig, env: NodeJS.ProcessEnv): { ended: Promise<SessionEnd> } {
  const watcher = new Watcher({ mask: kernelMask(config.triggerMask, config.recursive), recursive: config.recursive });
  try {
    for (const dir of config.directories) watcher.add(dir);
  } catch (err) {
    void watcher.close();
    // The engine names the path with inotify-tools' wording; dnotify's is the one its own checks use.
    if (err instanceof WatchError) throw new DirectoryError(err.path, err.reason);
    throw err;
  }

  const template = compileCommand(config.command);
  const printer = config.json ? new JsonPrinter(config.triggerMask, config.limits.times) : undefined;
  const topLevel = new Set(config.directories);
  let stopping: NodeJS.Signals | undefined;
  let endSession!: (end: SessionEnd) => void;
  const ended = new Promise<SessionEnd>((resolve) => (endSession = resolve));

  const scheduler = new Scheduler(config.limits, {
    launch: (directory): RunningCommand => startCommand(template(directory), directory, env),
    dropped: (directory, limits) =>
      warn(`queue full (${limits.queueDepth} waiting), change in '${toText(directory)}' dropped`),
    finished: (run, outcome: Outcome) => {
      // Runs we interrupted for shutdown end however they handle the signal: not worth a warning.
      if (stopping) return;
      const message = outcomeWarning(run.argv, outcome, config.silent);
      if (message) warn(message);
    },
    exhausted: () => finish({ kind: 'exit', code: 0 }),
  });

  // How the session ends; a shutdown signal overrides an exit already under way.
  let end: SessionEnd | undefined;
  let closing: Promise<void> | undefined;
  const finish = (result: SessionEnd, drain = false): void => {
    if (end === undefined || result.kind === 'signal') end = result;
    if (drain) scheduler.close();
    closing ??= (async () => {
      await watcher.close();
      await scheduler.whenIdle();
      await printer?.drain();
      for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
      endSession(end!);
    })();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      scheduler.signalAll('SIGKILL');
      return;
    }
    stopping = signal;
    scheduler.stop();
    scheduler.signalAll(signal);
    finish({ kind: 'signal', signal });
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);

  const onBatch = (events: InotifyEvent[]): void | Promise<void> => {
    const { directories, overflow, gone } = triggersOf(events, config.triggerMask);
    let written: void | Promise<void> = undefined;
    if (printer) {
      written = printer.print(events);
      if (overflow) warn('the kernel event queue overflowed and changes were lost');
      if (printer.done) finish({ kind: 'exit', code: 0 });
    } else {
      if (overflow) {
        warn('the kernel event queue overflowed and changes were lost; running the command for every directory');
        for (const dir of config.directories) scheduler.trigger(dir);
      }
      for (const dir of directories) scheduler.trigger(dir);
    }
    for (const dir of gone) if (topLevel.has(dir)) warn(`'${toText(dir)}' was deleted or unmounted, no longer watching it`);
    if (watcher.watchCount === 0 && end === undefined) {
      warn('no directories left to watch');
      finish({ kind: 'exit', code: 1 }, true);
    }
    return written;
  };
  watcher.start({
    batch: onBatch,
    warning: (err) => warn(err.message, err.hint),
    error: (err) => {
      warn(err.message);
      finish({ kind: 'exit', code: 1 }, true);
    },
  });
  return { ended };
}
