/**
 * How a process ended, when that is known. For a child of procwatch, Node reports it; for any other
 * process it is known only if procwatch reads /proc/[pid]/stat's exit_code while the process is still a
 * zombie (its parent has not reaped it yet).
 */
import { constants } from 'node:os';

export type ExitStatus = { readonly code: number } | { readonly signal: string; readonly coreDumped?: true };

/** The wait status bit that says a core was dumped. */
const WCOREFLAG = 0x80;

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** Decode a wait(2) status word (as in /proc/[pid]/stat field 52). */
export function fromWaitStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff };
  const signal = SIGNAL_NAMES.get(sig) ?? `SIG${sig}`;
  return status & WCOREFLAG ? { signal, coreDumped: true } : { signal };
}

/** From Node's child 'exit' arguments. */
export function fromChildExit(code: number | null, signal: NodeJS.Signals | null): ExitStatus {
  return signal !== null ? { signal } : { code: code ?? 0 };
}

/** Like a shell's `$?`: the exit code, or 128 + the signal number. */
export function shellStatus(status: ExitStatus): number {
  if ('code' in status) return status.code;
  const n = (constants.signals as Record<string, number | undefined>)[status.signal];
  return 128 + (n ?? 0);
}

/** For log lines: "status 3" or "signal SIGKILL". */
export function describeExit(status: ExitStatus | undefined): string {
  if (status === undefined) return 'status unknown';
  return 'code' in status ? `status ${status.code}` : `signal ${status.signal}${status.coreDumped ? ' (core dumped)' : ''}`;
}
