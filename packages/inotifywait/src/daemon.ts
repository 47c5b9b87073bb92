/**
 * `-d`: inotifywait calls daemon(3) — the parent exits 0, the child runs in a new session with cwd `/`,
 * stdin and stderr on /dev/null and stdout appended to the outfile. Node cannot fork, so the parent starts
 * a detached copy of itself with those descriptors (see daemon-handoff.ts). inotifywait's parent exits
 * the moment it forks, and its child is watching a millisecond later; ours needs a whole Node start-up
 * for that, so the parent waits until the child has its watches (or has died) before it exits 0: a change
 * made right after `inotifywait -d` returns is logged.
 */
import { closeSync, constants, openSync, realpathSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';
import { strerror } from '@inotifykit/event-core';
import type { DaemonHandoff } from './daemon-handoff.js';
import { startDetached } from '@inotifykit/cli-kit';
import { handoffEnvironment } from './daemon-handoff.js';
import { writeStderr } from './diagnostics.js';
import { asBytes, fromText } from '@inotifykit/event-core';

function errnoOf(err: unknown): number {
  const e = err as NodeJS.ErrnoException;
  return typeof e.errno === 'number' ? Math.abs(e.errno) : 0;
}

/** Runs in the parent: checks the outfile like inotifywait (realpath must succeed), starts the child. */
export function daemonize(outfile: ByteString, handoff: DaemonHandoff): number | Promise<number> {
  let logfile: Buffer;
  try {
    logfile = realpathSync(toBuffer(outfile), { encoding: 'buffer' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    writeStderr([asBytes(`${strerror(errnoOf(err), e.message)}: ${outfile}`)]);
    return 1;
  }
  let fd: number;
  try {
    fd = openSync(logfile, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600);
  } catch {
    // inotifywait's child prints this to /dev/null and vanishes; saying it is more useful.
    writeStderr([asBytes(`Failed to open output file ${logfile.toString('latin1')}`)]);
    return 1;
  }
  const started = startDetached({ args: [], stdio: ['ignore', fd, 'ignore'], env: { ...process.env, ...handoffEnvironment(handoff) } });
  closeSync(fd);
  // Ready, or gone (its errors went to syslog, as inotifywait's child's do): 0 either way, as inotifywait.
  return started.then((outcome) => {
    if (outcome.kind !== 'failed') return 0;
    writeStderr([fromText(`Failed to start the daemon: ${outcome.error.message}`)]);
    return 1;
  });
}
