/**
 * The getopt-like first pass over the arguments, before yargs sees them:
 *
 * - `-e`/`--execute` ends the options: every argument after it is the command (the original's rule), so it
 *   must be cut off before a parser tries to read the command's own options. This holds after `--` too
 *   (`dnotify -- -odd-dir -e cmd`); a directory named `-e` is written `./-e`.
 * - Short clusters are expanded (`-CDp2` → `-C -D --processes=2`) and every value is attached with `=`, so
 *   a value that starts with `-` (`-q -1`, `-f -e`) stays a value, as with getopt.
 *
 * Arguments are byte strings; only ASCII option syntax is looked at, so any name passes through intact.
 */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import { UsageError } from '../errors.js';
import { EXECUTE_LONG, EXECUTE_SHORT, optionByLong, optionByShort } from './option-table.js';
import { asBytes } from '@inotifykit/event-core';

export interface Tokens {
  /** Options (values attached) and operands, for yargs. */
  readonly options: ByteString[];
  /** The words after `-e`; undefined when `-e` was not given. */
  readonly command: ByteString[] | undefined;
}

/** The command words if `arg` is a whole-word `-e`/`--execute`/`--execute=WORD`, else undefined. */
function executeWord(args: readonly ByteString[], i: number): ByteString[] | undefined {
  const arg = args[i]!;
  if (arg === `-${EXECUTE_SHORT}` || arg === `--${EXECUTE_LONG}`) return args.slice(i + 1);
  if (arg.startsWith(`--${EXECUTE_LONG}=`)) return [asBytes(arg.slice(EXECUTE_LONG.length + 3)), ...args.slice(i + 1)];
  return undefined;
}

export function tokenize(args: readonly ByteString[]): Tokens {
  const options: ByteString[] = [];
  let operandsOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const command = executeWord(args, i);
    if (command) return { options, command };
    if (operandsOnly || arg === '-' || !arg.startsWith('-')) {
      options.push(arg);
      continue;
    }
    if (arg === '--') {
      operandsOnly = true;
      options.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const spec = optionByLong(arg.slice(2));
      if (spec?.takesValue) {
        if (i + 1 >= args.length) throw new UsageError(`option '${toText(arg)}' requires an argument`);
        options.push(asBytes(`--${spec.long}=${args[++i]}`));
      } else {
        options.push(arg); // yargs reports unknown ones (they come back as operands starting with '-')
      }
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = asBytes(arg[j]!);
      if (letter === EXECUTE_SHORT) {
        const attached = asBytes(arg.slice(j + 1));
        return { options, command: attached ? [attached, ...args.slice(i + 1)] : args.slice(i + 1) };
      }
      const spec = optionByShort(letter);
      if (!spec) throw new UsageError(`invalid option -- '${toText(letter)}'`);
      if (!spec.takesValue) {
        options.push(asBytes(`-${letter}`));
        continue;
      }
      const attached = arg.slice(j + 1);
      if (attached) options.push(asBytes(`--${spec.long}=${attached}`));
      else if (i + 1 < args.length) options.push(asBytes(`--${spec.long}=${args[++i]}`));
      else throw new UsageError(`option requires an argument -- '${letter}'`);
      break;
    }
  }
  return { options, command: undefined };
}
