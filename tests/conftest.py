"""Every test gets a fresh INTENT_HOME and a clean environment; nothing touches the real home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRUB = ("INTENT_", "LLAMA_", "NO_COLOR", "HF_")


@pytest.fixture(autouse=True)
def intent_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith(SCRUB):
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "intent-home"
    monkeypatch.setenv("INTENT_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return home


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected exactly one JSON line on stdout, got: {self.stdout!r}"
        return json.loads(lines[0])


@pytest.fixture
def run_i(tmp_path: Path) -> Callable[..., Ran]:
    """Run `i` as a user would: a real process, stdin not a terminal."""

    def run(*args: str, script: list | None = None, stdin: str = "", cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 60) -> Ran:
        full_env = dict(os.environ)
        if script is not None:
            path = tmp_path / f"script-{len(list(tmp_path.glob('script-*')))}.json"
            path.write_text(json.dumps(script))
            full_env["INTENT_MOCK_SCRIPT"] = str(path)
        full_env.update(env or {})
        proc = subprocess.run([sys.executable, "-m", "intent", *args], input=stdin, capture_output=True,
                              text=True, cwd=cwd or tmp_path, env=full_env, timeout=timeout)
        return Ran(proc.returncode, proc.stdout, proc.stderr)

    return run


def command_reply(command: str, risk: str = "safe", **extra: str) -> dict:
    return {"command": command, "description": extra.get("description", "does the thing"), "risk": risk,
            "expected_runtime": "instant", "confidence": "high"}
