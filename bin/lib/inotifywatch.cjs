// Started by bin/inotifywatch (a shell script, see lib/launch.sh).
require('./launch.cjs').launch('inotifywatch');
