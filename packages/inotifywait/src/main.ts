/** The `inotifywait` command. */
import { rawArgs } from '@inotifykit/cli-kit';
import { keepInheritedIgnores } from '@inotifykit/cli-kit';
import { takeDaemonHandoff } from './daemon-handoff.js';
import { runInotifywait } from './run.js';

keepInheritedIgnores(); // before anything: `nohup inotifywait …` must survive SIGHUP from the start
const handoff = takeDaemonHandoff();
const code = await runInotifywait(handoff?.args ?? rawArgs(), handoff);
process.exit(code);
