"""Shell integration snippets and idempotent rc-file installation."""

from __future__ import annotations

from pathlib import Path

MARK = "# >>> intent shell integration >>>"
END = "# <<< intent shell integration <<<"

# The function makes a private directory (mktemp -d: 0700), names it to `i` in INTENT_HANDOFF for
# that one call, and runs what `i` left in DIR/run only if the file is a regular file of ours with
# mode 0600 (run/handoff.py writes it after the audit record). It adds the command to the history,
# runs it here with eval (positional parameters cleared: they held the request), and reports the
# status with `i shell-report`, then returns it as `$?`. The directory is removed before the run.

_BASH = r"""# intent: a command you confirm runs in this shell (cd, export, aliases stick) and lands in
# its history; the request is not globbed (? and *); Alt-i puts a command on the line
function _intent_i {
  if [ -n "${_intent_glob+x}" ]; then
    case $_intent_glob in *f*) ;; *) set +f ;; esac
    unset _intent_glob
  fi
  local _intent_d _intent_rc _intent_cmd _intent_id
  _intent_d=$(command mktemp -d "${TMPDIR:-/tmp}/intent.XXXXXXXXXX") || { command i "$@"; return; }
  INTENT_HANDOFF=$_intent_d INTENT_HANDOFF_SHELL=bash command i "$@"
  _intent_rc=$?
  if [ "$_intent_rc" = 0 ] && [ -n "$(command find "$_intent_d/run" -type f -user "$UID" -perm 600 2>/dev/null)" ]; then
    _intent_cmd=$(<"$_intent_d/run") _intent_id=$(<"$_intent_d/id")
    command rm -rf -- "$_intent_d"
    _intent_history "$_intent_cmd"
    set --
    eval "$_intent_cmd"
    _intent_rc=$?
    command i shell-report "$_intent_id" "$_intent_rc"
    return "$_intent_rc"
  fi
  if [ -n "$(command find "$_intent_d/history" -type f -user "$UID" -perm 600 2>/dev/null)" ]; then
    _intent_history "$(<"$_intent_d/history")"
  fi
  command rm -rf -- "$_intent_d"
  return "$_intent_rc"
}
function _intent_history {
  # the first `history -s` of a line replaces the line itself (`i "..."`): put it back first
  local line
  line=$(HISTTIMEFORMAT= builtin history 1)
  [[ $line =~ ^\ *[0-9]+[\ *]\ ((i|_intent_i)\ .*)$ ]] && builtin history -s -- "${BASH_REMATCH[1]}"
  builtin history -s -- "$1"
}
function i { _intent_i "$@"; }
alias i='_intent_glob=$-; set -f; _intent_i'
_intent_insert() {
  local cmd
  cmd=$(command i --raw -- "$READLINE_LINE" 2>/dev/tty) || return
  READLINE_LINE=$cmd
  READLINE_POINT=${#READLINE_LINE}
}
bind -x '"\ei": _intent_insert' 2>/dev/null"""

_ZSH = r"""# intent: a command you confirm runs in this shell (cd, export, aliases stick) and lands in
# its history; the request is not globbed; Alt-i puts a command on the line
function _intent_i {
  local _intent_d _intent_rc _intent_cmd _intent_id
  _intent_d=$(command mktemp -d "${TMPDIR:-/tmp}/intent.XXXXXXXXXX") || { command i "$@"; return; }
  INTENT_HANDOFF=$_intent_d INTENT_HANDOFF_SHELL=zsh command i "$@"
  _intent_rc=$?
  if [[ $_intent_rc == 0 && -n "$(command find "$_intent_d/run" -type f -user "$UID" -perm 600 2>/dev/null)" ]]; then
    _intent_cmd=$(<"$_intent_d/run") _intent_id=$(<"$_intent_d/id")
    command rm -rf -- "$_intent_d"
    print -rs -- "$_intent_cmd"
    set --
    eval "$_intent_cmd"
    _intent_rc=$?
    command i shell-report "$_intent_id" "$_intent_rc"
    return "$_intent_rc"
  fi
  if [[ -n "$(command find "$_intent_d/history" -type f -user "$UID" -perm 600 2>/dev/null)" ]]; then
    print -rs -- "$(<"$_intent_d/history")"
  fi
  command rm -rf -- "$_intent_d"
  return "$_intent_rc"
}
function i { _intent_i "$@" }
alias i='noglob _intent_i'
_intent_insert() {
  local cmd
  cmd=$(command i --raw -- "$BUFFER" 2>/dev/tty) || return
  BUFFER=$cmd
  CURSOR=${#BUFFER}
  zle redisplay
}
zle -N _intent_insert
bindkey '\ei' _intent_insert"""

_FISH = r"""# intent: a command you confirm runs in this shell (cd, set -gx, export stick) and lands in
# its history (fish does not glob unmatched words); Alt-i puts a command on the line
function i --description 'plain English to a shell command; a confirmed one runs here'
    set -l __intent_tmp /tmp
    set -q TMPDIR[1]; and set __intent_tmp (string trim -r -c / -- $TMPDIR)
    set -l __intent_d (command mktemp -d $__intent_tmp/intent.XXXXXXXXXX)
    or begin
        command i $argv
        return
    end
    INTENT_HANDOFF=$__intent_d INTENT_HANDOFF_SHELL=fish command i $argv
    set -l __intent_rc $status
    set -l __intent_ok (command find $__intent_d/run -type f -user (command id -u) -perm 600 2>/dev/null)
    if test $__intent_rc -eq 0; and set -q __intent_ok[1]
        # run as if typed at the prompt: top level, in the history, `$status` set by it
        set -g __intent_cmd (string collect < $__intent_d/run)
        set -g __intent_id (string collect < $__intent_d/id)
        command rm -rf -- $__intent_d
        commandline -r -- $__intent_cmd
        commandline -f execute
        return 0
    end
    set __intent_ok (command find $__intent_d/history -type f -user (command id -u) -perm 600 2>/dev/null)
    if set -q __intent_ok[1]; and not string match -qr '^[0-3]\.' -- $version
        builtin history append -- (string collect < $__intent_d/history)
    end
    command rm -rf -- $__intent_d
    return $__intent_rc
end
function _intent_report --on-event fish_postexec
    set -l rc $status
    if set -q __intent_id[1]; and test "$argv[1]" = "$__intent_cmd"
        command i shell-report $__intent_id $rc
        set -e __intent_id __intent_cmd
    end
    return $rc
end
function _intent_insert
    set -l cmd (command i --raw -- (commandline) 2>/dev/tty)
    and commandline -r -- $cmd
end
bind \ei _intent_insert"""

SNIPPETS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}
RC_FILES = {"bash": "~/.bashrc", "zsh": "~/.zshrc", "fish": "~/.config/fish/config.fish"}


def snippet(shell: str) -> str:
    return SNIPPETS[shell]


def rc_line(shell: str) -> str:
    if shell == "fish":
        return "i shell-init fish | source"
    return f'eval "$(i shell-init {shell})"'


def installed(shell: str, home: Path | None = None) -> bool:
    rc = Path(RC_FILES[shell].replace("~", str(home or Path.home()), 1))
    try:
        return MARK in rc.read_text()
    except OSError:
        return False


def install(shell: str, home: Path | None = None) -> Path:
    """Add the integration to the shell's rc file once; a second call changes nothing."""
    rc = Path(RC_FILES[shell].replace("~", str(home or Path.home()), 1))
    if installed(shell, home):
        return rc
    rc.parent.mkdir(parents=True, exist_ok=True)
    with open(rc, "a") as fh:
        fh.write(f"\n{MARK}\n{rc_line(shell)}\n{END}\n")
    return rc
