/** Signal dispositions Node does not expose: back to SIG_DFL (to die of a signal), or SIG_IGN again. */
import { lazy } from './library.js';

const signalToPointer = lazy<(signum: number, handler: null) => unknown>('void *signal(int signum, void *handler)');
const signalToValue = lazy<(signum: number, handler: number) => unknown>('intptr_t signal(int signum, intptr_t handler)');
export const raise = lazy<(sig: number) => number>('int raise(int sig)');

/** signal(2) with SIG_DFL. */
export function signalDefault(signum: number): void {
  signalToPointer(signum, null);
}

/** signal(2) with SIG_IGN (1): to ignore again a signal the parent ignored (Node reset it at start-up). */
export function signalIgnore(signum: number): void {
  signalToValue(signum, 1);
}

/** Ends the process by `signum`'s default action, as a C program would (a shell shows 128 + signum). */
export function dieOfSignal(signum: number): never {
  try {
    signalDefault(signum);
    raise(signum);
  } catch {
    // no libc: the exit status below says the same
  }
  process.exit(128 + signum);
}
