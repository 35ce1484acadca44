"""Facts about this machine that choose and shape a llama.cpp install (injected in tests)."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Host:
    """Facts about this machine that choose and shape an install (injected in tests)."""

    is_root: bool
    has_tty: bool
    machine: str
    which: Callable[[str], str | None]

    @classmethod
    def current(cls) -> Host:
        return cls(
            is_root=hasattr(os, "geteuid") and os.geteuid() == 0,
            has_tty=sys.stdin.isatty() and sys.stderr.isatty(),
            machine=platform.machine().lower(),
            which=shutil.which,
        )
