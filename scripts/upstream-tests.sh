#!/bin/sh
# Runs inotify-tools' own test suite (its t/*.t, sharness) against this repository's four drop-ins.
#
#   scripts/upstream-tests.sh CHECKOUT [TEST.t ...]
#
# CHECKOUT is a directory holding inotify-tools' t/ at some tag, e.g.
#   git clone https://github.com/inotify-tools/inotify-tools && git -C inotify-tools checkout 4.25.9.0
# This script fetches nothing and copies nothing into the repository: the suite (GPL) is copied into a
# temporary directory laid out as its tests expect — they run `../../src/TOOL` from `t/trash directory.*/`
# — with src/ holding links to bin/. Its fanotify tests run only as root (they probe with
# `fsnotifywait --fanotify -t -1`; the -S one mounts an ext2 image). Exit status: that of the suite.
set -eu

if [ $# -lt 1 ] || [ ! -d "$1/t" ]; then
  echo "usage: $0 CHECKOUT [TEST.t ...]   (CHECKOUT: a directory with inotify-tools' t/)" >&2
  exit 2
fi
checkout=$1
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
for tool in inotifywait inotifywatch fsnotifywait fsnotifywatch; do
  [ -x "$repo/bin/$tool" ] || { echo "$0: $repo/bin/$tool is missing (npm run build)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/inotifykit-upstream.XXXXXX")
trap 'umount -l "$work"/t/trash*/root 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/src" "$work/libinotifytools/src"
for tool in inotifywait inotifywatch fsnotifywait fsnotifywatch; do
  ln -s "$repo/bin/$tool" "$work/src/$tool"
done
cp -R "$checkout/t" "$work/t"

cd "$work/t"
if [ $# -eq 0 ]; then set -- *.t; fi
status=0
for t in "$@"; do
  echo "*** $t ***"
  bash "$t" -v || status=1
done
exit $status
