// Started by bin/fsnotifywatch (a shell script, see lib/launch.sh). inotifywatch's code: the name of this
// file tells it that it runs as fsnotifywatch (fanotify by default), as 4.25 looks at argv[0].
require('./launch.cjs').launch('inotifywatch');
