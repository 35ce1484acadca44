"""The audit log: one redacted JSON line per turn in `<state>/audit.jsonl` (mode 0600)."""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from intent.redact import redact_obj


def new_id() -> str:
    return time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


def append(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(redact_obj(record), ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def find(path: Path, ident: str) -> dict[str, Any] | None:
    for record in reversed(read(path)):
        if record.get("id") == ident:
            return record
    return None


def last_failed(path: Path) -> dict[str, Any] | None:
    for record in reversed(read(path)):
        if record.get("executed_command") and record.get("exit_code") not in (0, None):
            return record
    return None


def clear(path: Path) -> int:
    n = len(read(path))
    path.unlink(missing_ok=True)
    return n
