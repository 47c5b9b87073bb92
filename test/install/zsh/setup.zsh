# Sourced by the interactive zsh that driver.zsh runs in a pty: our completion functions on $fpath, and a
# compadd that also writes every match it adds to $IK_COMPLETION_OUT (as in Valodim's capture.zsh).
PROMPT='> '
bindkey -e
fpath=("$IK_COMPLETION_DIR" $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
  # Asked only to fill arrays (-O, -A, -D): nothing is added, nothing to record.
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a __hits
  local -A apre hpre hsuf asuf
  builtin compadd -A __hits "$@"
  zparseopts -E P:=apre p:=hpre S:=asuf s:=hsuf
  local hit
  for hit in $__hits; do print -r -- "$IPREFIX$apre$hpre$hit$hsuf$asuf" >> "$IK_COMPLETION_OUT"; done
  builtin compadd "$@"
}
# ^B after the TAB: says (on the terminal) that the completion before it has finished.
_ik_done() { print -rn -- IK-COMPLETION-DONE }
zle -N _ik_done
bindkey '^B' _ik_done
