/** The `inotifywatch` command (bin/inotifywatch imports this). */
import { rawArgs, runMain } from '@inotifykit/cli-kit';
import { runInotifywatch } from './run/session.js';

runMain(() => runInotifywatch(rawArgs()));
