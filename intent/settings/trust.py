"""Which directories' `.intentrc` files may reach the model.

A cloned repository can ship an `.intentrc`; its text would go into every prompt made there.
So it is read only from directories the user trusted with `i trust` (recorded in
`<state>/trust.json`), and even then it is framed as data. Untrusted ones that were seen are
recorded too, so `i doctor` can list them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from intent.settings.paths import Paths

RC_NAME = ".intentrc"


def _file(paths: Paths) -> Path:
    return paths.state_dir / "trust.json"


def _load(paths: Paths) -> dict[str, list[str]]:
    try:
        data = json.loads(_file(paths).read_text())
    except (OSError, ValueError):
        return {"trusted": [], "seen": []}
    if not isinstance(data, dict):
        return {"trusted": [], "seen": []}
    return {k: [str(x) for x in data.get(k, []) if isinstance(x, str)] for k in ("trusted", "seen")}


def _save(paths: Paths, data: dict[str, list[str]]) -> None:
    target = _file(paths)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, target)


def _key(directory: Path) -> str:
    return os.path.realpath(directory)


def trusted(paths: Paths) -> list[str]:
    return _load(paths)["trusted"]


def untrusted_seen(paths: Paths) -> list[str]:
    data = _load(paths)
    return [d for d in data["seen"] if d not in data["trusted"]]


def trust(paths: Paths, directory: Path) -> str:
    data = _load(paths)
    key = _key(directory)
    if key not in data["trusted"]:
        data["trusted"].append(key)
    data["seen"] = [d for d in data["seen"] if d != key]
    _save(paths, data)
    return key


def revoke(paths: Paths, directory: Path) -> bool:
    data = _load(paths)
    key = _key(directory)
    if key not in data["trusted"]:
        return False
    data["trusted"].remove(key)
    _save(paths, data)
    return True


def read_rc(paths: Paths, directory: Path, cap: int = 1000) -> tuple[str, bool]:
    """(text of the directory's .intentrc if it is trusted, whether an untrusted one exists).
    Only a regular file is read, so a FIFO named .intentrc cannot hang `i`."""
    rc = directory / RC_NAME
    try:
        if not rc.is_file():
            return "", False
    except OSError:
        return "", False
    key = _key(directory)
    data = _load(paths)
    if key not in data["trusted"]:
        if key not in data["seen"]:
            data["seen"].append(key)
            try:
                _save(paths, data)
            except OSError:
                pass  # only a doctor hint; never a reason to fail the request
        return "", True
    with open(rc, "rb") as fh:
        return fh.read(cap).decode(errors="replace"), False
