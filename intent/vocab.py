"""The words every layer shares, each defined once: risk levels, script interpreters, backend
names, the default model. The schema, the guard, the renderer and the executor import them from
here, so adding a level or an interpreter is one edit here and never a drift between copies."""

from __future__ import annotations

from typing import Final, Literal, get_args

# ordered from least to most dangerous: the guard's `higher` and the friction rules rely on it
Risk = Literal["safe", "network", "mutates", "destructive", "sudo"]
RISKS: Final[tuple[Risk, ...]] = get_args(Risk)

# the confirmation each risk needs: Enter, a typed y, or the typed word yes
Friction = Literal["enter", "y", "yes"]
FRICTION: Final[dict[Risk, Friction]] = {
    "safe": "enter",
    "network": "enter",
    "mutates": "y",
    "destructive": "yes",
    "sudo": "yes",
}
# the answers that confirm at each friction (an answer for a stronger friction also does)
CONFIRMS: Final[dict[Friction, frozenset[str]]] = {
    "enter": frozenset({"", "y", "yes"}),
    "y": frozenset({"y", "yes"}),
    "yes": frozenset({"yes"}),
}

# what `--yes` may run without a prompt, and Enter on a terminal: what needs no typed answer
# (it runs in the read-only view, confine.py)
AUTORUN: Final[frozenset[Risk]] = frozenset(r for r, f in FRICTION.items() if f == "enter")

Interpreter = Literal["python3", "node", "ruby", "perl", "bash", "sh"]
SCRIPT_INTERPRETERS: Final[tuple[Interpreter, ...]] = get_args(Interpreter)  # a script reply's

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

# the backends `i` can ask, in the order `--backend` help and config validation list them; how
# each is built and named in messages is its entry in the registry (app/wiring.py `REGISTRY`)
BackendName = Literal["llama-server", "llama-cli", "openai", "ollama", "mock"]
BackendChoice = Literal["auto", BackendName]  # what --backend, INTENT_BACKEND and config take
BACKEND_CHOICES: Final[tuple[BackendChoice, ...]] = get_args(BackendChoice)


def backend_choice(name: str) -> BackendChoice | None:
    """`name` as a backend choice, or None when it names none."""
    return next((choice for choice in BACKEND_CHOICES if choice == name), None)


__all__ = [
    "AUTORUN",
    "BACKEND_CHOICES",
    "BackendChoice",
    "BackendName",
    "backend_choice",
    "CONFIRMS",
    "FRICTION",
    "Friction",
    "DEFAULT_MODEL",
    "SCRIPT_INTERPRETERS",
    "INTERPRETER_ARGV",
    "RISKS",
    "Interpreter",
    "Risk",
]
