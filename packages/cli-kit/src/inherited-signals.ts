/**
 * Signals the parent left ignored: nohup's SIGHUP, SIGINT and SIGQUIT for a job a script starts with `&`.
 * inotify-tools' inotifywait installs no handlers, so they stay ignored and `nohup inotifywait -m … &`
 * survives a hang-up. Node resets every disposition to the default at start-up, so the launcher (a shell,
 * which keeps them) passes its own ignored set in INOTIFYKIT_SIGIGN (the `sigignore` field of
 * /proc/self/stat: the mask in decimal), and the CLI ignores those signals again before anything else.
 */
import { createRequire } from 'node:module';
import { signalIgnore } from '@inotifykit/sys';

/** Node and our own code need these as they are: child reaping, and SIGPIPE's EPIPE path. */
const KEEP: readonly NodeJS.Signals[] = ['SIGCHLD', 'SIGPIPE', 'SIGKILL', 'SIGSTOP'];

/** The signal numbers; node:os only when some signal was ignored (it costs ~1 ms of a start). */
const signalNumbers = () => (createRequire(import.meta.url)('node:os') as typeof import('node:os')).constants.signals;

/** The signal names in the launcher's mask (decimal; bit n−1 is signal n), minus those in KEEP. */
export function inheritedIgnoredSignals(mask = process.env.INOTIFYKIT_SIGIGN): Set<NodeJS.Signals> {
  const ignored = new Set<NodeJS.Signals>();
  if (!mask || !/^[0-9]{1,20}$/.test(mask)) return ignored;
  const bits = BigInt(mask);
  if (bits === 0n) return ignored;
  for (const [name, n] of Object.entries(signalNumbers())) {
    if (!KEEP.includes(name as NodeJS.Signals) && (bits >> BigInt(n - 1)) & 1n) ignored.add(name as NodeJS.Signals);
  }
  return ignored;
}

/** Ignores again what the parent ignored; returns that set (handlers for these must not be installed). */
export function keepInheritedIgnores(): Set<NodeJS.Signals> {
  const ignored = inheritedIgnoredSignals();
  if (ignored.size === 0) return ignored;
  const numbers = signalNumbers();
  for (const name of ignored) signalIgnore(numbers[name]);
  return ignored;
}
