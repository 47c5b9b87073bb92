/** The `inotifywait` command (and `fsnotifywait`: the same code, chosen by the script's name). */
import { invokedName, keepInheritedIgnores, rawArgs, runMain } from '@inotifykit/cli-kit';
import { PROGRAM, PROGRAMS } from './cli-spec.js';
import { takeDaemonHandoff } from './daemon-handoff.js';
import { runInotifywait } from './run/session.js';

keepInheritedIgnores(); // before anything: `nohup inotifywait …` must survive SIGHUP from the start
const handoff = takeDaemonHandoff();
runMain(() => runInotifywait(handoff?.args ?? rawArgs(), handoff, invokedName(PROGRAMS, PROGRAM)));
