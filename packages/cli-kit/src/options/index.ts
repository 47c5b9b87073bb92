/**
 * `@inotifykit/cli-kit/options`: the declarative option table and what is made from it (the parser, the
 * `--help` text, the completion data). Its own entry point because it loads yargs: the drop-ins, which
 * parse with getopt, import only `@inotifykit/cli-kit` and do not pay for it at start-up.
 */
export { indexTable, OptionTableError } from './table.js';
export type { IndexedTable, OptionSpec, OptionTable, OptionValue, ValueKind } from './table.js';
export { parseCommandLine } from './parse.js';
export type { CommandLine, ParseOptions } from './parse.js';
export type { ErrorFactory } from './split-words.js';
export { helpText, optionSynopsis } from './help.js';
export type { HelpLayout } from './help.js';
export { completionOptions } from './completion.js';
export type { CompletionOption } from './completion.js';
