"""Where intent keeps its files. `INTENT_HOME` moves everything under one root.

Nothing is created at import time; the code that writes a file creates its directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP = "intent"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    state_dir: Path
    cache_dir: Path
    data_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def audit_log(self) -> Path:
        return self.state_dir / "audit.jsonl"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def server_log(self) -> Path:
        return self.logs_dir / "llama-server.log"

    @property
    def children_dir(self) -> Path:
        """One small JSON file per live llama-server child, for stale-child cleanup."""
        return self.state_dir / "children"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def runtime_dir(self) -> Path:
        return self.data_dir / "runtime"

    @property
    def kv_dir(self) -> Path:
        return self.cache_dir / "kv"

    @property
    def answers_dir(self) -> Path:
        return self.cache_dir / "answers"


def resolve(env: dict[str, str] | None = None) -> Paths:
    env = dict(os.environ) if env is None else env
    home = env.get("INTENT_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(root / "config", root / "state", root / "cache", root / "data")
    import platformdirs

    return Paths(
        Path(platformdirs.user_config_dir(APP)),
        Path(platformdirs.user_state_dir(APP)),
        Path(platformdirs.user_cache_dir(APP)),
        Path(platformdirs.user_data_dir(APP)),
    )
