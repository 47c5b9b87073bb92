/** The dnotify CLI: arguments → configuration → a watching session (here or in the background) → exit. */
import { help, versionText } from './args/help.js';
import { parseArgs } from './args/parse.js';
import { detach, reportReady, takeDetachedConfig } from './background.js';
import { OutputWriteError, rawArgs, runMain } from '@inotifykit/cli-kit';
import { writeSync } from 'node:fs';
import { resolveConfig } from './resolve-config.js';
import type { DnotifyConfig, SessionEnd } from './session.js';
import { startSession } from './session.js';
import { constants } from 'node:os';

/** Dies of the signal that ended the session, so the parent sees the conventional 128+n status. */
function exitWith(end: SessionEnd): never {
  if (end.kind === 'exit') process.exit(end.code);
  // The listeners are gone, so the default action applies; the fallback covers a signal that is ignored.
  process.kill(process.pid, end.signal);
  process.exit(128 + constants.signals[end.signal]);
}

/** Text to stdout, synchronously; a failed write (a full disk, /dev/full) is one line and exit status 1. */
function print(text: string): void {
  let rest = Buffer.from(text, 'utf8');
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw new OutputWriteError('standard output', err);
  }
}

async function watch(config: DnotifyConfig, onReady?: () => void): Promise<never> {
  const { ended } = startSession(config, process.env);
  onReady?.();
  exitWith(await ended);
}

async function main(): Promise<void> {
  const detached = takeDetachedConfig();
  if (detached) await watch(detached, reportReady);

  const args = parseArgs(rawArgs());
  if (args.help) {
    print(help());
    return;
  }
  if (args.version) {
    print(versionText());
    return;
  }
  const config = resolveConfig(args);
  if (args.background) process.exit(await detach(config));
  await watch(config);
}

runMain(async () => {
  await main();
  return 0;
}, { prefix: 'dnotify: ' });
