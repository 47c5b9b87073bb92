/** The `inotifywait` command. */
import { keepInheritedIgnores, rawArgs, runMain } from '@inotifykit/cli-kit';
import { takeDaemonHandoff } from './daemon-handoff.js';
import { runInotifywait } from './run.js';

keepInheritedIgnores(); // before anything: `nohup inotifywait …` must survive SIGHUP from the start
const handoff = takeDaemonHandoff();
runMain(() => runInotifywait(handoff?.args ?? rawArgs(), handoff));
