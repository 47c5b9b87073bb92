/** The `inotifywatch` command (bin/lib/inotifywatch.cjs runs it; bin/lib/fsnotifywatch.cjs too, by its own name). */
import { invokedName, keepInheritedIgnores, rawArgs, runMain } from '@inotifykit/cli-kit';
import { PROGRAM, PROGRAMS } from './args/spec.js';
import { runInotifywatch } from './run/session.js';

// Before anything: `nohup inotifywatch …` must survive a SIGHUP while it sets up its watches (as upstream,
// whose handlers for SIGINT, SIGTERM and SIGHUP, installed for collecting, then replace the ignore: see
// run/signals.ts).
keepInheritedIgnores();
runMain(() => runInotifywatch(rawArgs(), invokedName(PROGRAMS, PROGRAM)));
