/**
 * `-b`: run detached. Node cannot fork, so dnotify starts itself again as a new session leader (no
 * controlling terminal) in `/`, with stdin from /dev/null and the same stdout/stderr, handing over the
 * already checked configuration (absolute paths, bytes intact) in an environment variable. The first
 * process waits until the detached one has its watches set up — so a change right after `dnotify -b`
 * returns is seen, and a start-up failure is reported with its exit status — then exits.
 */
import { spawn } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { DnotifyConfig } from './session.js';
import { UNLIMITED } from './args/counts.js';
import { warn } from './warn.js';

const CONFIG_VARIABLE = 'INOTIFYKIT_DNOTIFY_DETACHED';
/** The detached process reports readiness on this fd (a pipe to the first process). */
const READY_FD = 3;
const READY = 'ready\n';

interface WireConfig extends Omit<DnotifyConfig, 'limits'> {
  readonly processes: number;
  readonly queueDepth: number;
  readonly coalesce: boolean;
  readonly times: number | null;
}

/** JSON has no Infinity: unlimited travels as -1. Byte strings survive JSON and the environment as is. */
function encode(config: DnotifyConfig): string {
  const { limits, ...rest } = config;
  const wire: WireConfig = {
    ...rest,
    processes: limits.processes === UNLIMITED ? -1 : limits.processes,
    queueDepth: limits.queueDepth === UNLIMITED ? -1 : limits.queueDepth,
    coalesce: limits.coalesce,
    times: limits.times ?? null,
  };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64');
}

function decode(text: string): DnotifyConfig {
  const wire = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as WireConfig;
  const { processes, queueDepth, coalesce, times, ...rest } = wire;
  return {
    ...rest,
    limits: {
      processes: processes === -1 ? UNLIMITED : processes,
      queueDepth: queueDepth === -1 ? UNLIMITED : queueDepth,
      coalesce,
      times: times ?? undefined,
    },
  };
}

/** In the first process: starts the detached one and resolves with the exit status to use. */
export function detach(config: DnotifyConfig): Promise<number> {
  // The original arguments only make `ps` show what this dnotify watches; the configuration travels in
  // the environment (bytes intact, paths absolute), which takes precedence.
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
    detached: true,
    cwd: '/',
    stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, [CONFIG_VARIABLE]: encode(config) },
  });
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
    let received = '';
    channel.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes(READY)) settle(0);
    });
    channel.on('error', () => {});
    child.on('error', (err) => {
      warn(`cannot start in the background: ${err.message}`);
      settle(1);
    });
    // Died before it was ready: it has said why on stderr; pass its status on.
    child.on('exit', (code, signal) => settle(code ?? (signal ? 1 : 0)));
  });
}

/** In the detached process: the configuration handed over, or undefined in a normal start. */
export function takeDetachedConfig(): DnotifyConfig | undefined {
  const text = process.env[CONFIG_VARIABLE];
  if (text === undefined) return undefined;
  delete process.env[CONFIG_VARIABLE]; // commands must not inherit it
  return decode(text);
}

/** In the detached process: watches are set up; the first process may exit. */
export function reportReady(): void {
  try {
    writeSync(READY_FD, READY);
    closeSync(READY_FD);
  } catch {
    // the first process is gone already
  }
}
