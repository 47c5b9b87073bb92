// Started by bin/inotifywait (a shell script, see there).
require('./launch.cjs').launch('inotifywait');
