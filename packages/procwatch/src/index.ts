/** procwatch as a library: the /proc reader, the selectors and the process event source. */
export { listPids, readProcess, readStat, bootTimeSeconds, CLOCK_TICKS } from './proc/proc-table.js';
export type { ProcessInfo, ReadParts } from './proc/proc-table.js';
export type { ProcStat } from './proc/stat.js';
export type { ProcStatus } from './proc/status.js';
export { compileSelector } from './select/criteria.js';
export type { SelectOptions, Selector } from './select/criteria.js';
export { search } from './select/search.js';
export type { Pick, SearchOptions } from './select/search.js';
export { pidof } from './select/pidof.js';
export { ProcSource } from './watch/proc-source.js';
export type { ProcSourceOptions } from './watch/proc-source.js';
export type { ProcEvent, ProcEventKind, ProcSnapshot } from './watch/proc-event.js';
export type { ExitWatcher } from './watch/exit-watcher.js';
export { createExitWatcher } from './watch/select-watcher.js';
export type { ExitStatus } from './watch/exit-status.js';
export * from './errors.js';
// The option table, for what is generated from it (shell completion).
export { PROCWATCH_OPTIONS } from './args/parse.js';
