"""Every test gets a fresh INTENT_HOME and a clean environment; nothing touches the real home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SCRUB = ("INTENT_", "LLAMA_", "NO_COLOR", "HF_", "OLLAMA_", "OPENAI_")
# Captured before any test scrubs the environment: where tests/run.sh installed the real parts.
REAL_ENV = {
    k: v for k, v in os.environ.items() if k.startswith("INTENT_TEST_") or k == "INTENT_REAL_TESTS"
}


# Files whose tests drive `i` on a terminal or a real shell: the fast lane leaves them out.
SLOW_FILES = {
    "test_live_shell.py",
    "test_terminal.py",
    "test_prompt_signals.py",
    "test_confirm_server.py",
    "test_quality_bench.py",
    "test_confine.py",
    "test_nothing_runs_unasked.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`slow`: a test that starts `i` as a process (the `run_i` fixture) or sits in a file
    that drives terminals and shells; `real` tests are marked where they are written."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "run_i" in fixtures or "real_parts" in fixtures or item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class RealParts:
    server: Path
    completion: Path | None
    model: Path


def _default_real_parts() -> RealParts | None:
    import platformdirs

    data = Path(platformdirs.user_data_dir("intent"))
    server = Path(
        REAL_ENV.get("INTENT_TEST_LLAMA_SERVER") or data / "runtime" / "bin" / "llama-server"
    )
    completion = Path(
        REAL_ENV.get("INTENT_TEST_LLAMA_COMPLETION")
        or data / "runtime" / "bin" / "llama-completion"
    )
    model = Path(REAL_ENV.get("INTENT_TEST_MODEL") or data / "models" / "gemma-3-270m-q4_k_m.gguf")
    if not (server.is_file() and model.is_file()):
        return None
    return RealParts(server, completion if completion.is_file() else None, model)


@pytest.fixture(scope="session")
def real_parts() -> RealParts:
    """A real llama-server binary and the real tiny Gemma GGUF, or a skip (a failure in CI)."""
    parts = _default_real_parts()
    if parts is None:
        if REAL_ENV.get("INTENT_REAL_TESTS") == "required":
            pytest.fail("real llama.cpp runtime or test model missing; tests/run.sh installs them")
        pytest.skip("no real llama.cpp runtime and test model; run tests/run.sh")
    return parts


@pytest.fixture(autouse=True)
def intent_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith(SCRUB):
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "intent-home"
    monkeypatch.setenv("INTENT_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # `auto` looks for a local Ollama: a closed port, so a server on this machine changes nothing
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")
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

    def run(
        *args: str,
        script: list | None = None,
        stdin: str = "",
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Ran:
        full_env = dict(os.environ)
        if script is not None:
            path = tmp_path / f"script-{len(list(tmp_path.glob('script-*')))}.json"
            path.write_text(json.dumps(script))
            full_env["INTENT_MOCK_SCRIPT"] = str(path)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "intent", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env=full_env,
            timeout=timeout,
        )
        return Ran(proc.returncode, proc.stdout, proc.stderr)

    return run


def command_reply(command: str, risk: str = "safe", **extra: str) -> dict:
    return {
        "command": command,
        "description": extra.get("description", "does the thing"),
        "risk": risk,
        "expected_runtime": "instant",
        "confidence": "high",
    }


def drive(engine: Any, request: str, cwd: Path, intentrc: str = "") -> tuple[Any, list[Any]]:
    """Run one turn of `engine` in `cwd` to its proposal: (proposal, the events it yielded)."""
    from intent.turn import prompt

    events = []
    gen = engine.run(request, prompt.gather(cwd, intentrc=intentrc))
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return stop.value, events
