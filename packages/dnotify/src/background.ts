/**
 * `-b`: run detached. Node cannot fork, so dnotify starts itself again as a new session leader (no
 * controlling terminal) in `/`, with stdin from /dev/null and the same stdout/stderr, handing over the
 * already checked configuration (absolute paths, bytes intact) in an environment variable. The first
 * process waits until the detached one has its watches set up — so a change right after `dnotify -b`
 * returns is seen, and a start-up failure is reported with its exit status — then exits.
 */
import { reportDetachedReady, startDetached } from '@inotifykit/cli-kit';
import type { DnotifyConfig } from './session.js';
import { UNLIMITED } from './args/counts.js';
import { warn } from './warn.js';

const CONFIG_VARIABLE = 'INOTIFYKIT_DNOTIFY_DETACHED';

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
export async function detach(config: DnotifyConfig): Promise<number> {
  // The original arguments only make `ps` show what this dnotify watches; the configuration travels in
  // the environment (bytes intact, paths absolute), which takes precedence.
  const outcome = await startDetached({
    args: process.argv.slice(2),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, [CONFIG_VARIABLE]: encode(config) },
  });
  if (outcome.kind === 'ready') return 0;
  if (outcome.kind === 'failed') {
    warn(`cannot start in the background: ${outcome.error.message}`);
    return 1;
  }
  // Died before it was ready: it has said why on stderr; pass its status on.
  return outcome.code ?? (outcome.signal ? 1 : 0);
}

/** In the detached process: the configuration handed over, or undefined in a normal start. */
export function takeDetachedConfig(): DnotifyConfig | undefined {
  const text = process.env[CONFIG_VARIABLE];
  if (text === undefined) return undefined;
  delete process.env[CONFIG_VARIABLE]; // commands must not inherit it
  return decode(text);
}

/** In the detached process: watches are set up; the first process may exit. */
export const reportReady = reportDetachedReady;
