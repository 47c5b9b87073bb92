# zsh -f driver.zsh SETUP LINE...: types each LINE and a TAB into an interactive zsh in a pty (zsh/zpty), and
# appends "== LINE" and then what the completion offered to $IK_COMPLETION_OUT.
zmodload zsh/zpty || exit 3
setup=$1
shift
zpty ik 'TERM=xterm zsh -f -i'
zpty -w ik "source ${(q)setup}"
for line in "$@"; do
  print -r -- "== $line" >> "$IK_COMPLETION_OUT"
  zpty -w -n ik "$line"$'\t\x02'
  zpty -r ik reply '*IK-COMPLETION-DONE*'
  zpty -w -n ik $'\x15'  # ^U: an empty line for the next one
done
zpty -d ik
