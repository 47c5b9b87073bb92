/** The `inotifywatch` command (bin/inotifywatch imports this). */
import { rawArgs } from '@inotifykit/cli-kit';
import { runInotifywatch } from './run/session.js';

const status = await runInotifywatch(rawArgs());
process.exit(status);
