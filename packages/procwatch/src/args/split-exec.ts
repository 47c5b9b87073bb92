/**
 * `--ensure PATTERN -e COMMAND...`: everything after `-e` (or `--exec`) is the command and its arguments,
 * taken verbatim (like find's -exec or timeout(1)), so the command's own options never reach the parser.
 */
export interface SplitArgs {
  /** The arguments procwatch parses. */
  readonly args: string[];
  /** COMMAND and its arguments, when `-e` was given. */
  readonly command: string[] | undefined;
}

/** The words that start the command. */
export const EXEC_OPTIONS: readonly string[] = ['-e', '--exec'];

export function splitExec(argv: readonly string[]): SplitArgs {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break; // after `--` everything is a pattern
    if (EXEC_OPTIONS.includes(arg)) {
      return { args: argv.slice(0, i), command: argv.slice(i + 1) };
    }
  }
  return { args: [...argv], command: undefined };
}
