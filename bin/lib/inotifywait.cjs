// Started by bin/inotifywait (a shell script, see lib/launch.sh).
require('./launch.cjs').launch('inotifywait');
