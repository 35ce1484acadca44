"""The public guard API (docs/safety.md): `assess(command) -> Verdict`. The guard lives in `intent.guard`."""

from __future__ import annotations

from intent.guard import LEVELS, Context, Verdict, assess, higher, rank

__all__ = ["LEVELS", "Context", "Verdict", "assess", "higher", "rank"]
