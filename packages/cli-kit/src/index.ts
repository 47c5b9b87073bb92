/**
 * @inotifykit/cli-kit — what every inotifykit CLI shares: the command line as bytes and glibc-exact
 * getopt, usage errors, path lists and include/exclude rules, the timeout option, inherited ignored
 * signals, and the stdout sink. The option table of dnotify and procwatch (parser, help, completion) is the
 * separate entry point `@inotifykit/cli-kit/options`, so that the drop-ins do not load yargs.
 */
export { invokedName, rawArgs } from './argv.js';
export { getopt } from './getopt.js';
export type { ArgumentRule, GetoptResult, GetoptSpec, LongOption, ParsedOption } from './getopt.js';
// The drop-ins' extension table (getopt long options, help, completion); yargs-free, unlike ./options.
export { WATCH_KIND_OPTIONS, extensionCompletion, extensionHelp, extensionLongOptions, extensionSynopsis } from './options/extensions.js';
export type { ExtensionCompletion, ExtensionEntry, ExtensionLayout, ExtensionOption, ExtensionTable, ExtensionValue } from './options/extensions.js';
export { UsageError } from './usage-error.js';
export { parseEventOption, unknownEventLine } from './event-list.js';
export { errorLines, errorText, reportError, runMain } from './exit.js';
export type { ErrorStyle } from './exit.js';
export { buildPathList } from './path-list.js';
export type { PathList } from './path-list.js';
export { compilePathRules } from './path-rules.js';
export type { CompiledPathRules, PathRule, RuleAction, RuleSyntax } from './path-rules.js';
// Globs live in event-core (the library's watch() takes them too); re-exported for the CLIs.
export { GlobSyntaxError, compileGlob } from '@inotifykit/event-core';
export { REGEX_FLAGS, RegexOptions } from './regex-options.js';
export type { CompiledRegexOption, RegexFlag } from './regex-options.js';
export { parseTimeoutOption, timeoutIsNegative } from './timeout-option.js';
export { inheritedIgnoredSignals, keepInheritedIgnores } from './inherited-signals.js';
export { EXIT_WRITE_ERROR, OutputSink, OutputWriteError, dieOfSigpipe, exitOnWriteError } from './stdout-sink.js';
export { reportDetachedReady, startDetached } from './detached.js';
export type { DetachedOutcome, DetachOptions } from './detached.js';
export type { OutputKind, OutputSinkOptions } from './stdout-sink.js';
export { packageVersion, versionLine } from './version.js';
export { helpFor } from './fsnotify-help.js';
export { localeIsUtf8, tableChars } from './table-chars.js';
