export { parseArgs } from './args/parse.js';
export type { DnotifyArgs } from './args/parse.js';
export { resolveConfig } from './resolve-config.js';
export { startSession } from './session.js';
export type { DnotifyConfig, SessionEnd } from './session.js';
export { Scheduler } from './run/scheduler.js';
export type { ScheduleLimits, TriggerResult } from './run/scheduler.js';
export { compileCommand, DEFAULT_COMMAND } from './run/command-template.js';
export { spawnArgv } from './run/spawn-argv.js';
export { KIND_MASKS, TRIGGER_KINDS, DEFAULT_KINDS, triggerMask, kernelMask } from './watch/event-selection.js';
export type { TriggerKind } from './watch/event-selection.js';
export { directoryOf, triggersOf } from './watch/triggers.js';
export * from './errors.js';
// The option table, for what is generated from it (shell completion).
export { DNOTIFY_OPTIONS } from './args/option-table.js';
