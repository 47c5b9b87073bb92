# The shell part of the launchers bin/inotifywait, bin/inotifywatch, bin/fsnotifywait and bin/fsnotifywatch,
# sourced by each once it has set ik_self (the launcher's own path, symlinks resolved: `npm install -g`
# links <prefix>/bin/X to the package's bin/X) and ik_tool (its name: lib/$ik_tool.cjs is started).
#
# A shell first, then Node: Node resets at start-up every signal its parent left ignored (nohup's SIGHUP;
# SIGINT for a script's background job), where inotify-tools keeps them ignored. This shell still has them
# ignored: its mask of ignored signals (the 33rd field of /proc/$$/stat, in decimal; the fields after the
# name in parentheses, which may hold spaces) goes to the CLI in INOTIFYKIT_SIGIGN, which ignores them
# again (keepInheritedIgnores in packages/cli-kit). One line of stat, not /proc/$$/status: dash reads a byte
# per read(2).
sigignore() { INOTIFYKIT_SIGIGN=${31}; }
if [ -r /proc/$$/stat ]; then
  read -r ik_stat < /proc/$$/stat
  sigignore ${ik_stat##*) }
  export INOTIFYKIT_SIGIGN
fi
exec node "${ik_self%/*}/lib/$ik_tool.cjs" "$@"
