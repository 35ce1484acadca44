"""The words every layer shares, each defined once: risk levels, script interpreters, the
default model. The schema, the guard, the renderer and the executor import them from here, so
adding a level or an interpreter is one edit here and never a drift between copies."""

from __future__ import annotations

from typing import Final, Literal, get_args

# ordered from least to most dangerous: the guard's `higher` and the friction rules rely on it
Risk = Literal["safe", "network", "mutates", "destructive", "sudo"]
RISKS: Final[tuple[Risk, ...]] = get_args(Risk)

# what `--yes` may run without a prompt
AUTORUN: Final[frozenset[Risk]] = frozenset({"safe", "network"})

Interpreter = Literal["python3", "node", "ruby", "perl", "bash", "sh"]
INTERPRETERS: Final[tuple[Interpreter, ...]] = get_args(Interpreter)

# how a script reply's body is handed to its interpreter (the body is one argv word, never a file)
INTERPRETER_ARGV: Final[dict[Interpreter, tuple[str, ...]]] = {
    "python3": ("python3", "-c"),
    "node": ("node", "-e"),
    "ruby": ("ruby", "-e"),
    "perl": ("perl", "-e"),
    "bash": ("bash", "-c"),
    # the guard reads scripts with bash's grammar; `sh` is dash on Debian and Ubuntu, where
    # `&>` and `$'...'` mean something else, so an `sh` script runs in bash's POSIX mode
    "sh": ("bash", "--posix", "-c"),
}

DEFAULT_MODEL: Final = "qwen2.5-coder-1.5b"

__all__ = [
    "AUTORUN",
    "DEFAULT_MODEL",
    "INTERPRETERS",
    "INTERPRETER_ARGV",
    "RISKS",
    "Interpreter",
    "Risk",
]
