/** The `inotifywatch` command (bin/inotifywatch imports this; bin/fsnotifywatch too, by its own name). */
import { invokedName, rawArgs, runMain } from '@inotifykit/cli-kit';
import { PROGRAM, PROGRAMS } from './args/spec.js';
import { runInotifywatch } from './run/session.js';

runMain(() => runInotifywatch(rawArgs(), invokedName(PROGRAMS, PROGRAM)));
