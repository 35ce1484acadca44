"""The guard: pure code that rates a shell command's risk and refuses what must never run.

`parser` splits the command, `walk` visits every simple command (through wrappers, substitutions
and shell bodies), `rules` and `families` hold the per-utility rules, `words` the word lists.
"""

from __future__ import annotations

from intent.guard.walk import LEVELS, Context, Verdict, assess, higher, rank

__all__ = ["LEVELS", "Context", "Verdict", "assess", "higher", "rank"]
