/** The `inotifywait` command. */
import { rawArgs } from '@inotifykit/event-core/cli/argv';
import { takeDaemonHandoff } from './daemon-handoff.js';
import { runInotifywait } from './run.js';

const handoff = takeDaemonHandoff();
const code = await runInotifywait(handoff?.args ?? rawArgs(), handoff);
process.exit(code);
