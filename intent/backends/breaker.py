"""The circuit breaker: a backend that failed in a way the next one would not is skipped for a
while, so the next `i` does not wait for it again.

State is one small JSON file in the cache dir: {key: {"until": epoch seconds, "why": text}}.
An entry past its expiry is ignored (the backend is tried again, "half open") and dropped on
the next write; a success clears it at once. A broken or unwritable file only costs the memory.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FILE = "breaker.json"


@dataclass(frozen=True)
class Down:
    key: str
    why: str
    until: float

    def until_text(self) -> str:
        return time.strftime("%H:%M:%S", time.localtime(self.until))


@dataclass
class Breaker:
    cache_dir: Path
    cooldown: float = 120.0
    now: Callable[[], float] = field(default=time.time)

    @property
    def path(self) -> Path:
        return self.cache_dir / FILE

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, dict)}

    def _write(self, data: dict[str, dict[str, object]]) -> None:
        now = self.now()
        kept = {k: v for k, v in data.items() if _until(v) > now}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{FILE}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(kept))
            os.replace(tmp, self.path)
        except OSError:
            pass

    def down(self, key: str) -> Down | None:
        """The open entry for `key`, or None when it may be tried."""
        entry = self._read().get(key)
        if entry is None or _until(entry) <= self.now():
            return None
        return Down(key, str(entry.get("why", "")), _until(entry))

    def held(self) -> list[Down]:
        """Every backend held down now, for `i doctor`."""
        now = self.now()
        return [
            Down(k, str(v.get("why", "")), _until(v))
            for k, v in self._read().items()
            if _until(v) > now
        ]

    def trip(self, key: str, why: str) -> Down:
        until = self.now() + self.cooldown
        data = self._read()
        data[key] = {"until": until, "why": why}
        self._write(data)
        return Down(key, why, until)

    def clear(self, key: str) -> None:
        data = self._read()
        if key in data:
            del data[key]
            self._write(data)


def _until(entry: dict[str, object]) -> float:
    value = entry.get("until")
    return float(value) if isinstance(value, int | float) else 0.0
