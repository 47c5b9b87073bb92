/** inotifywait as a library: run it with byte-string arguments, or parse its options. */
export { runInotifywait } from './run/session.js';
export { parseOptions } from './options.js';
export type { InotifywaitOptions, ParseResult } from './options.js';
// The option table, for what is generated from it (shell completion).
export { INOTIFYWAIT_EXTENSIONS, INOTIFYWAIT_GETOPT } from './cli-spec.js';
