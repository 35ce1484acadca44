"""What each OpenAI-compatible endpoint accepts, learnt once and kept in the cache dir, so the
probing and any refused first request cost one invocation, not every one.

MODES, tightest first: `grammar` (llama.cpp's GBNF field), `json_schema` (response_format),
`json_object` (valid JSON, schema in the prompt), `text` (schema in the prompt, reply extracted).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MODES = ("grammar", "json_schema", "json_object", "text")
TTL = 7 * 24 * 3600  # a server behind a URL may be replaced; learn again weekly
FILE = "endpoints.json"


def _read(cache_dir: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((cache_dir / FILE).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(cache_dir: Path | None, url: str, now: float) -> str | None:
    if cache_dir is None:
        return None
    entry = _read(cache_dir).get(url)
    if not isinstance(entry, dict):
        return None
    mode, when = entry.get("mode"), entry.get("checked")
    if mode in MODES and isinstance(when, int | float) and 0 <= now - when < TTL:
        return str(mode)
    return None


def save(cache_dir: Path | None, url: str, mode: str, now: float) -> None:
    if cache_dir is None or load(cache_dir, url, now) == mode:
        return
    data = _read(cache_dir)
    data[url] = {"mode": mode, "checked": now}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / f"{FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, indent=1))
        os.replace(tmp, cache_dir / FILE)
    except OSError:
        pass  # a read-only cache costs a probe next time, nothing more
