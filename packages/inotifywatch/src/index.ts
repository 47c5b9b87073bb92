export { runInotifywatch } from './run/session.js';
export { parseCommand } from './args/options.js';
export type { Command, InotifywatchOptions, OutputFormat } from './args/options.js';
export type { SortOrder } from './args/sort-key.js';
export { StatsCollector } from './stats/collector.js';
export type { RowMode, StatRow } from './stats/collector.js';
export { COLUMNS } from './stats/columns.js';
export type { Column } from './stats/columns.js';
export { takeSnapshot } from './stats/snapshot.js';
export type { Snapshot } from './stats/snapshot.js';
export { renderClassic } from './render/classic.js';
export { renderJson } from './render/json.js';
export { renderCsv } from './render/csv.js';
// The option table, for what is generated from it (shell completion).
export { GETOPT_SPEC, INOTIFYWATCH_EXTENSIONS } from './args/spec.js';
