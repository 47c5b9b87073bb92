/**
 * `-d`: inotifywait calls daemon(3) — the parent exits 0 at once, the child runs in a new session with
 * cwd `/`, stdin and stderr on /dev/null and stdout appended to the outfile. Node cannot fork, so the
 * parent starts a detached copy of itself with those descriptors (see daemon-handoff.ts).
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync, realpathSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';
import { strerror } from '@inotifykit/event-core';
import type { DaemonHandoff } from './daemon-handoff.js';
import { handoffEnvironment } from './daemon-handoff.js';
import { writeStderr } from './diagnostics.js';
import { asBytes } from '@inotifykit/event-core';

function errnoOf(err: unknown): number {
  const e = err as NodeJS.ErrnoException;
  return typeof e.errno === 'number' ? Math.abs(e.errno) : 0;
}

/** Runs in the parent: checks the outfile like inotifywait (realpath must succeed), starts the child. */
export function daemonize(outfile: ByteString, handoff: DaemonHandoff): number {
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
  const script = process.argv[1]!;
  const child = spawn(process.execPath, [...process.execArgv, script], {
    cwd: '/',
    detached: true,
    stdio: ['ignore', fd, 'ignore'],
    env: { ...process.env, ...handoffEnvironment(handoff) },
  });
  child.unref();
  closeSync(fd);
  return 0;
}
