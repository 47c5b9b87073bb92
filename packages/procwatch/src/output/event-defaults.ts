/** Defaults of the -m output, apart from the engine so that parsing the command line does not load it. */
export const DEFAULT_FORMAT = '%T %e %p %n';
export const DEFAULT_TIMEFMT = '%H:%M:%S';
