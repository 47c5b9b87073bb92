/**
 * One inotifywatch run, in upstream's order: options (and their errors), then the watching part
 * (watch.ts). Resolves with the exit status.
 */
import type { ByteString } from '@inotifykit/event-core';
import { helpFor, packageVersion, reportError, versionLine } from '@inotifykit/cli-kit';
import { parseCommand } from '../args/options.js';
import { openStdout, writeErr } from './output.js';
import { SignalPhases } from './signals.js';
import { fromText } from '@inotifykit/event-core';
import type { Program } from '../args/spec.js';
import { PROGRAM } from '../args/spec.js';

export async function runInotifywatch(args: readonly ByteString[], program: Program = PROGRAM): Promise<number> {
  const signals = new SignalPhases((text) => writeErr(fromText(text)));
  signals.setup();
  try {
    const command = parseCommand(args, program);
    if (command.kind === 'help') {
      const stdout = openStdout();
      const { helpText } = await import('../help.js');
      await stdout.write(Buffer.from(helpFor(helpText(), PROGRAM, program), 'utf8'));
      await stdout.drain();
      return 1;
    }
    if (command.kind === 'version') {
      const stdout = openStdout();
      await stdout.write(Buffer.from(versionLine(program, packageVersion('@inotifykit/inotifywatch', import.meta.url))));
      await stdout.drain();
      return 0;
    }
    // Loaded only now: a command-line error should not pay for the engine (tests run hundreds of them).
    const { watchAndCount } = await import('./watch.js');
    return await watchAndCount(command.options, signals);
  } catch (err) {
    return reportError(err);
  }
}

