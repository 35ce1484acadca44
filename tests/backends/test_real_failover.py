"""Failover with real parts: the configured remote server is dead, the real local llama-server
with the real tiny model answers, and the next `i` does not ask the dead server again."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest
from test_real_server import ANSWERED, llama_servers

from intent.reply import schema

pytestmark = pytest.mark.real


def ours(home: Path) -> set[int]:
    """The llama-servers whose log is under this test's INTENT_HOME (other sessions on the
    machine run their own)."""
    found = set()
    for pid in llama_servers():
        try:
            log = os.readlink(f"/proc/{pid}/fd/1")
        except OSError:
            continue
        if log.startswith(str(home)):
            found.add(pid)
    return found


@pytest.fixture(autouse=True)
def no_server_left_behind(intent_home: Path):
    yield
    deadline = time.monotonic() + 3
    while (left := ours(intent_home)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"llama-server processes left running: {left}"


def test_a_dead_remote_url_is_answered_by_the_real_local_llama_server(
    run_i, real_parts, intent_home: Path
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"  # closed when the block ends
    (intent_home / "config").mkdir(parents=True, exist_ok=True)
    (intent_home / "config" / "config.toml").write_text(
        f'backend = "openai"\nfailover = true\n[openai]\nbase_url = "{dead}"\nmodel = "m"\n'
    )
    env = {
        "INTENT_LLAMA_SERVER": str(real_parts.server),
        "INTENT_LLAMA_COMPLETION": str(real_parts.completion or ""),
        "INTENT_MODEL": str(real_parts.model),
    }
    started = time.monotonic()
    r = run_i("--dry", "--json", "-v", "list the files here", env=env, timeout=180)
    took = time.monotonic() - started
    assert r.code in ANSWERED, r.stderr
    obj = r.json()
    assert obj["backend"] == "llama-server"
    assert obj["model"] == real_parts.model.name
    assert obj["backend_source"].startswith("failover after openai connection refused")
    if obj["response"] is not None:
        schema.validate(obj["response"])
    assert obj["timings"]["startup_ms"] > 0
    notice = [line for line in r.stderr.splitlines() if "answered by" in line]
    assert notice == ["remote server unavailable (connection refused); answered by the local model"]
    assert "load_ms=" in r.stderr  # -v: how long loading the model took

    # remembered: the next call goes straight to the local model
    r = run_i("--dry", "--json", "list the files here", env=env, timeout=180)
    assert r.code in ANSWERED, r.stderr
    assert r.json()["backend"] == "llama-server"
    assert "skipped until" in r.stderr
    print(f"first call with failover: {took:.1f}s")
