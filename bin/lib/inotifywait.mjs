// Started by bin/inotifywait (a shell script, see there).
import { launch } from './launch.mjs';

await launch('inotifywait');
