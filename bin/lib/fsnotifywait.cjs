// Started by bin/fsnotifywait (a shell script, see lib/launch.sh). inotifywait's code: the name of this
// file tells it that it runs as fsnotifywait (fanotify by default), as 4.25 looks at argv[0].
require('./launch.cjs').launch('inotifywait');
