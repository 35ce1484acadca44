"""The hand-off to the calling shell: which confirmed commands the shell function runs itself.

`i shell-init` defines `i` as a shell function. It makes a private directory (`mktemp -d`, 0700)
and names it in `INTENT_HANDOFF` (and the shell in `INTENT_HANDOFF_SHELL`) for that one call.
When a confirmed command may run in the user's shell, `i` writes the audit record, then the
command to `DIR/run` (0600, created exclusively, never through a symlink) and the turn's id to
`DIR/id`, and exits 0 without running it; the function checks the file, adds the command to the
shell's history, runs it with `eval` and reports its status with `i shell-report ID STATUS`.
A command that ran in a child is written to `DIR/history` instead: the function only adds it to
the history. Nothing here parses the terminal.

What runs where (docs/shell.md has the reasons):
- in a child, as without the function: scripts; anything rated above `mutates`; a command with a
  word that could end or reshape the interactive shell (`exit`, `exec`, `set -e`, `trap` ...);
  under fish, a command fish cannot parse (it runs under bash);
- in a child, confined: what runs without a typed answer (`safe`/`network`, Enter or `--yes`),
  unless its whole purpose is to change the shell's state: a flat `&&`/`||`/`;` list of `cd`,
  `pushd`, `popd`, `export`, `unset`, assignments ... and commands the guard rates `safe` alone;
- in the calling shell: everything else that was confirmed, i.e. `mutates` with `y` typed, and
  the shell-state lists above.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from intent import process, safety
from intent.errors import IntentError
from intent.guard import parser
from intent.turn.engine import Proposal
from intent.vocab import AUTORUN, RISKS

SHELLS = ("bash", "zsh", "fish")
ENV = ("INTENT_HANDOFF", "INTENT_HANDOFF_SHELL")
MAX_HANDED = RISKS.index("mutates")

# builtins whose purpose is the calling shell's state: lost in a child, harmless in the shell
STATE = frozenset({"cd", "pushd", "popd", "dirs", "export", "unset", "alias", "unalias", "hash"})
SOURCING = frozenset({"source", "."})
# words that could close, replace or reshape the interactive shell; they run in a child
BREAKERS = frozenset(
    {
        "exit",
        "logout",
        "exec",
        "return",
        "break",
        "continue",
        "trap",
        "ulimit",
        "emulate",
        "bind",
        "bindkey",
        "zle",
        "enable",
        "disable",
        "suspend",
        "kill",  # `kill $$`, `kill -9 0`: the shell's own process or group
        "fish_vi_key_bindings",
        "fish_default_key_bindings",
        "functions",
        "complete",
        "read",  # would read the shell's own terminal input as the request's data
        "declare",  # inside the function these make locals: they would silently not stick
        "typeset",
        "local",
        "readonly",
    }
)
_WRAPPERS = ("builtin", "command", "\\command", "\\builtin")


@dataclass(frozen=True)
class Place:
    shell: bool  # True: the calling shell runs it; False: a child, as without the function
    reason: str


def place(proposal: Proposal, decision: str, shell: str, request: str = "") -> Place:
    """Where a confirmed proposal runs when the shell function is there to take it. `request`
    is what the user asked for: a shell option it names may be changed in the shell."""
    if proposal.kind != "command":
        return Place(False, "a script runs in its interpreter, in a child")
    text = proposal.command_text or ""
    risk = proposal.risk or "sudo"
    if RISKS.index(risk) > MAX_HANDED:
        return Place(False, f"rated {risk}: it runs in a child, not in your shell")
    script = parser.parse(text)
    if script.errors:
        return Place(False, "the command does not parse cleanly: it runs in a child")
    breaker = _breaker(script, shell, request)
    if breaker:
        return Place(False, f"`{breaker}` could end or change your shell: it runs in a child")
    if risk in AUTORUN and not _shell_state(text, script, shell, request):
        # what runs without a typed answer is confined; only shell state is worth the shell
        return Place(False, f"rated {risk} and run without a typed answer: it runs in a child")
    if shell == "fish" and not fish_accepts(text):
        return Place(False, "not valid fish: it runs in a bash child")
    return Place(True, f"runs in your {shell}")


def _first(cmd: parser.Simple) -> tuple[str, list[str]]:
    argv = cmd.argv
    while argv and argv[0] in _WRAPPERS:
        argv = argv[1:]
    return (argv[0], argv[1:]) if argv else ("", [])


def _asked_option(name: str, args: list[str], request: str) -> bool:
    """An option change the request names (`set -o vi` for "use vi keys", `shopt -s globstar`
    for "enable globstar"); single-letter flags (`set -e`) never count."""
    if name == "set" and len(args) == 2 and args[0] in ("-o", "+o"):
        options = args[1:]
    elif name == "shopt" and len(args) > 1 and args[0] in ("-s", "-u"):
        options = args[1:]
    elif name in ("setopt", "unsetopt"):
        options = args
    else:
        return False
    asked = {w.replace("_", "") for w in re.findall(r"[a-z0-9_]+", request.lower())}
    return bool(options) and all(
        len(o) > 1 and o.lower().replace("_", "") in asked for o in options
    )


def _option_change(name: str, args: list[str], shell: str) -> bool:
    if name == "set":  # fish's `set` sets variables; elsewhere options or positional parameters
        return shell != "fish" and (not args or args[0][:1] in "-+")
    return name in ("shopt", "setopt", "unsetopt")


def _breaker(script: parser.Script, shell: str, request: str) -> str | None:
    if script.functions:
        return f"{script.functions[0]}()"
    for cmd in script.commands:
        name, args = _first(cmd)
        if _option_change(name, args, shell):
            if _asked_option(name, args, request):
                continue
            return " ".join([name, *args[:1]])
        if name in BREAKERS:
            return name
        if name == "eval":
            return "eval"
    return None


def _shell_state(text: str, script: parser.Script, shell: str, request: str) -> bool:
    """A flat list (no pipes, groups, redirections, loops) of shell-state builtins and commands
    the guard rates safe on their own, with at least one shell-state builtin."""
    rebuilt: list[str] = []
    state = False
    for cmd in script.commands:
        if cmd.op_after not in ("&&", "||", ";", "\n", "") or cmd.redirects or cmd.heredoc_bodies:
            return False
        name, args = _first(cmd)
        words = [w.raw for w in cmd.assignments] + [w.raw for w in cmd.words]
        rebuilt += [*words, cmd.op_after]
        if _option_change(name, args, shell) and _asked_option(name, args, request):
            state = True  # an option the request names: shell state it asked for
            continue
        if safety.assess(" ".join(words)).risk != "safe":
            return False  # each part, substitutions included, must be read-only on its own
        if name in SOURCING or (cmd.assignments and cmd.words):
            return False  # a sourced file is code; `VAR=x cmd` keeps nothing in the shell
        if not cmd.words or name in STATE or (shell == "fish" and name == "set"):
            state = True
    # keywords and groups (`if`, `{ }`, `( )`) vanish from the parse: then it is not flat
    return state and "".join("".join(rebuilt).split()) == "".join(text.split())


def fish_accepts(text: str) -> bool:
    """fish parses the command (`fish --no-execute`: nothing runs, no config is read). The text
    goes on stdin: fish 3 exits 0 for a parse error in a `-c` string."""
    if re.search(r"\[\[|\$\(\(|\$\{|<<", text):
        return False  # bash-only syntax that fish may parse as plain words
    try:
        r = process.run(["fish", "--no-config", "--no-execute"], stdin_text=text, timeout=5)
    except OSError:
        return False
    return r.returncode == 0 and not r.timed_out and not r.stderr.strip()


class ChannelRefused(Exception):
    pass


class Channel:
    """The directory the shell function made for this call, checked before anything is written."""

    def __init__(self, directory: Path, shell: str, turn_id: str, request: str = "") -> None:
        self.directory = directory
        self.shell = shell
        self.turn_id = turn_id
        self.request = request
        self.place: Place | None = None

    @classmethod
    def from_env(cls, env: dict[str, str], turn_id: str, request: str = "") -> Channel | None:
        """The channel named in the environment, or None (no function, or a bad channel)."""
        where = env.get(ENV[0])
        shell = env.get(ENV[1], "")
        if not where or shell not in SHELLS:
            return None
        directory = Path(where)
        try:
            check_private(directory, want_dir=True)
        except ChannelRefused:
            return None
        return cls(directory, shell, turn_id, request)

    def takes(self, proposal: Proposal, decision: str) -> bool:
        """True when the calling shell should run this confirmed proposal (see `place`)."""
        self.place = place(proposal, decision, self.shell, self.request)
        return self.place.shell

    def give(self, command: str) -> None:
        """Hand the command to the shell; the audit record was written before this."""
        try:
            _write_private(self.directory / "id", self.turn_id)
            _write_private(self.directory / "run", command)
        except OSError as exc:
            raise IntentError(
                f"could not hand the command to the shell ({exc.strerror}); nothing was run.",
                hint="Run it with `command i ...` to run it in a child.",
            ) from None

    def ran(self, command: str) -> None:
        """A command that ran in a child: the function only adds it to the shell's history."""
        try:
            _write_private(self.directory / "history", command)
        except OSError:
            pass  # the command ran; only the history line is lost


def check_private(path: Path, *, want_dir: bool) -> None:
    """Refuse a path that is a symlink, not ours, or open to the group or others."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise ChannelRefused(f"{path}: {exc.strerror}") from None
    kind_ok = stat.S_ISDIR(st.st_mode) if want_dir else stat.S_ISREG(st.st_mode)
    if not kind_ok or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise ChannelRefused(f"{path} is not a private {'directory' if want_dir else 'file'}")


def _write_private(path: Path, text: str) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode())
    finally:
        os.close(fd)


__all__ = ["Channel", "ChannelRefused", "Place", "check_private", "fish_accepts", "place"]
