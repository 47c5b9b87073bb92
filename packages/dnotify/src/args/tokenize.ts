/**
 * The getopt-like first pass over the arguments, before yargs sees them:
 *
 * - `-e`/`--execute` ends the options: every argument after it is the command (the original's rule), so it
 *   must be cut off before a parser tries to read the command's own options.
 * - Short clusters are expanded (`-CDp2` → `-C -D --processes=2`) and every value is attached with `=`, so
 *   a value that starts with `-` (`-q -1`, `-f -e`) stays a value, as with getopt.
 *
 * Arguments are byte strings; only ASCII option syntax is looked at, so any name passes through intact.
 */
import type { ByteString } from '@inotifykit/event-core';
import { toText } from '@inotifykit/event-core';
import { UsageError } from '../errors.js';
import { EXECUTE_LONG, EXECUTE_SHORT, optionByLong, optionByShort } from './option-table.js';

export interface Tokens {
  /** Options (values attached) and operands, for yargs. */
  readonly options: ByteString[];
  /** The words after `-e`; undefined when `-e` was not given. */
  readonly command: ByteString[] | undefined;
}

export function tokenize(args: readonly ByteString[]): Tokens {
  const options: ByteString[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      // Operands only from here on: an `-e` after `--` is a directory named `-e`.
      options.push(...args.slice(i));
      break;
    }
    if (arg === `--${EXECUTE_LONG}`) return { options, command: args.slice(i + 1) };
    if (arg.startsWith(`--${EXECUTE_LONG}=`)) {
      return { options, command: [arg.slice(EXECUTE_LONG.length + 3), ...args.slice(i + 1)] };
    }
    if (arg.startsWith('--')) {
      const spec = optionByLong(arg.slice(2));
      if (spec?.takesValue) {
        if (i + 1 >= args.length) throw new UsageError(`option '${toText(arg)}' requires an argument`);
        options.push(`--${spec.long}=${args[++i]}`);
      } else {
        options.push(arg); // yargs reports unknown ones (they come back as operands starting with '-')
      }
      continue;
    }
    if (arg.length > 1 && arg.startsWith('-')) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        if (letter === EXECUTE_SHORT) {
          const attached = arg.slice(j + 1);
          return { options, command: attached ? [attached, ...args.slice(i + 1)] : args.slice(i + 1) };
        }
        const spec = optionByShort(letter);
        if (!spec) throw new UsageError(`invalid option -- '${toText(letter)}'`);
        if (!spec.takesValue) {
          options.push(`-${letter}`);
          continue;
        }
        const attached = arg.slice(j + 1);
        if (attached) options.push(`--${spec.long}=${attached}`);
        else if (i + 1 < args.length) options.push(`--${spec.long}=${args[++i]}`);
        else throw new UsageError(`option requires an argument -- '${letter}'`);
        break;
      }
      continue;
    }
    options.push(arg);
  }
  return { options, command: undefined };
}
