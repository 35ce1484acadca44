"""Shell integration snippets and idempotent rc-file installation."""

from __future__ import annotations

from pathlib import Path

MARK = "# >>> intent shell integration >>>"
END = "# <<< intent shell integration <<<"

_BASH = r"""# intent: `i` without glob expansion of ? and *, and Alt-i to put a command on the line
alias i='set -f; _intent_run'
_intent_run() { command i "$@"; local rc=$?; set +f; return $rc; }
_intent_insert() {
  local cmd
  cmd=$(command i --raw -- "$READLINE_LINE" 2>/dev/tty) || return
  READLINE_LINE=$cmd
  READLINE_POINT=${#READLINE_LINE}
}
bind -x '"\ei": _intent_insert' 2>/dev/null"""

_ZSH = r"""# intent: `i` without glob expansion, and Alt-i to put a command on the line
alias i='noglob i'
_intent_insert() {
  local cmd
  cmd=$(command i --raw -- "$BUFFER" 2>/dev/tty) || return
  BUFFER=$cmd
  CURSOR=${#BUFFER}
  zle redisplay
}
zle -N _intent_insert
bindkey '\ei' _intent_insert"""

_FISH = r"""# intent: Alt-i to put a command on the line (fish does not glob unmatched words)
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
