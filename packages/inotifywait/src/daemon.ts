/**
 * `-d`: inotifywait calls daemon(3) — the parent exits 0, the child runs in a new session with cwd `/`,
 * stdin and stderr on /dev/null and stdout appended to the outfile. Node cannot fork, so the parent starts
 * a detached copy of itself with those descriptors (see daemon-handoff.ts). inotifywait's parent exits
 * the moment it forks, and its child is watching a millisecond later; ours needs a whole Node start-up
 * for that, so the parent waits until the child has its watches (or has died) before it exits 0: a change
 * made right after `inotifywait -d` returns is logged.
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync, realpathSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer } from '@inotifykit/event-core';
import { strerror } from '@inotifykit/event-core';
import type { DaemonHandoff } from './daemon-handoff.js';
import { READY_FD, handoffEnvironment } from './daemon-handoff.js';
import { writeStderr } from './diagnostics.js';
import { asBytes } from '@inotifykit/event-core';

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
  const script = process.argv[1]!;
  const child = spawn(process.execPath, [...process.execArgv, script], {
    cwd: '/',
    detached: true,
    stdio: ['ignore', fd, 'ignore', 'pipe'],
    env: { ...process.env, ...handoffEnvironment(handoff) },
  });
  closeSync(fd);
  const channel = child.stdio[READY_FD] as Readable;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (status: number): void => {
      if (settled) return;
      settled = true;
      channel.destroy();
      child.unref();
      resolve(status);
    };
    // A byte: watching. The end of the pipe: the child is gone (its errors went to syslog, as inotifywait's).
    channel.on('data', () => settle(0));
    channel.on('end', () => settle(0));
    channel.on('error', () => settle(0));
    child.on('error', (err) => {
      writeStderr([`Failed to start the daemon: ${err.message}`]);
      settle(1);
    });
  });
}

