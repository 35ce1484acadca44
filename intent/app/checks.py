"""One line of `i doctor`: what was checked, what was found, and the fix (doctor and
doctor_remote both build them; neither imports the other for it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str | None = None
    optional: bool = False

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("optional")
        return d
