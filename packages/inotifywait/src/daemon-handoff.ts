/**
 * What a `-d` parent hands its detached child: the arguments and the path list it already built (a
 * `--fromfile -` list was read from the parent's stdin). Passed in the environment; byte strings survive
 * JSON unchanged (every char is < 256).
 */
import type { ByteString } from '@inotifykit/event-core';
import type { PathList } from '@inotifykit/cli-kit';

const ENV_KEY = 'INOTIFYKIT_INOTIFYWAIT_DAEMON';

export interface DaemonHandoff {
  readonly args: ByteString[];
  readonly list: PathList;
}

export function handoffEnvironment(handoff: DaemonHandoff): Record<string, string> {
  return { [ENV_KEY]: Buffer.from(JSON.stringify(handoff), 'latin1').toString('base64') };
}

/** The handoff when this process is the daemon child (removed from the environment once read). */
export function takeDaemonHandoff(): DaemonHandoff | undefined {
  const raw = process.env[ENV_KEY];
  if (raw === undefined) return undefined;
  delete process.env[ENV_KEY];
  return JSON.parse(Buffer.from(raw, 'base64').toString('latin1')) as DaemonHandoff;
}
