"""`i doctor` as a user meets it: a healthy install, then each part broken in turn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

VENV_BIN = str(Path(sys.executable).parent)


@pytest.fixture
def healthy(real_parts, intent_home: Path) -> dict[str, str]:
    """An install like `i init` leaves: runtime via env, the catalog test model in the models dir."""
    models = intent_home / "data" / "models"
    models.mkdir(parents=True)
    (models / "gemma-3-270m-q4_k_m.gguf").symlink_to(real_parts.model)
    (intent_home / "config").mkdir(parents=True)
    (intent_home / "config" / "config.toml").write_text('model = "gemma-3-270m"\n')
    return {
        "INTENT_LLAMA_SERVER": str(real_parts.server),
        "INTENT_LLAMA_COMPLETION": str(real_parts.completion or ""),
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "SHELL": "/bin/sh",
    }


def checks(r) -> dict[str, dict]:
    return {c["name"]: c for c in json.loads(r.stdout)["checks"]}


@pytest.mark.real
def test_healthy_install_passes_with_smoke_timings(run_i, healthy) -> None:
    r = run_i("doctor", env=healthy, timeout=120)
    assert r.code == 0, r.stdout
    assert "✗" not in r.stdout
    smoke = next(line for line in r.stdout.splitlines() if "smoke test" in line)
    assert "ready in" in smoke and "answer in" in smoke
    r = run_i("doctor", "--json", env=healthy, timeout=120)
    assert json.loads(r.stdout)["ok"] is True


@pytest.mark.real
def test_quick_is_fast_on_a_healthy_install(run_i, healthy) -> None:
    run_i("doctor", "--quick", env=healthy)  # the first run computes and stamps the sha256
    started = time.monotonic()
    r = run_i("doctor", "--quick", env=healthy)
    assert r.code == 0, r.stdout
    assert time.monotonic() - started < 2


@pytest.mark.real
def test_deleted_model_names_the_pull(run_i, healthy, intent_home: Path) -> None:
    (intent_home / "data" / "models" / "gemma-3-270m-q4_k_m.gguf").unlink()
    r = run_i("doctor", "--json", "--quick", env=healthy)
    assert r.code == 1
    model = checks(r)["model"]
    assert not model["ok"] and model["fix"] == "i model pull gemma-3-270m"


@pytest.mark.real
def test_altered_model_fails_its_sha256(run_i, healthy, intent_home: Path, real_parts) -> None:
    target = intent_home / "data" / "models" / "gemma-3-270m-q4_k_m.gguf"
    target.unlink()
    with open(target, "wb") as fh:  # same size, other bytes
        fh.truncate(real_parts.model.stat().st_size)
    r = run_i("doctor", "--json", "--quick", env=healthy)
    model = checks(r)["model"]
    assert r.code == 1 and not model["ok"] and "sha256" in model["detail"]
    with open(target, "r+b") as fh:
        fh.truncate(1000)
    model = checks(run_i("doctor", "--json", "--quick", env=healthy))["model"]
    assert "truncated" in model["detail"] and model["fix"] == "i model pull gemma-3-270m --force"


@pytest.mark.real
def test_missing_runtime_names_the_install(run_i, healthy, tmp_path: Path) -> None:
    env = {**healthy, "INTENT_LLAMA_SERVER": str(tmp_path / "gone" / "llama-server")}
    r = run_i("doctor", env=env)
    assert r.code == 1
    assert "✗ llama-server" in r.stdout and "fix: i runtime install" in r.stdout


@pytest.mark.real
def test_leftover_server_is_reported_and_removed_by_fix(
    run_i, healthy, intent_home: Path, real_parts
) -> None:
    # a child whose `i` was killed before it could clean up: parent pid 999999 does not exist
    child = subprocess.Popen(
        [str(real_parts.server), "-m", str(real_parts.model), "--port", "0", "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        children = intent_home / "state" / "children"
        children.mkdir(parents=True)
        (children / f"{child.pid}.json").write_text(
            json.dumps({"pid": child.pid, "parent": 999999, "port": 0})
        )
        r = run_i("doctor", "--quick", "--json", env=healthy)
        stale = checks(r)["stale children"]
        assert (
            not stale["ok"]
            and str(child.pid) in stale["detail"]
            and stale["fix"] == "i doctor --fix"
        )
        r = run_i("doctor", "--quick", "--fix", env=healthy)
        assert f"removed leftover llama-server process(es): {child.pid}" in r.stdout
        assert child.wait(timeout=5) is not None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_unknown_config_key_is_named(run_i, intent_home: Path) -> None:
    (intent_home / "config").mkdir(parents=True)
    (intent_home / "config" / "config.toml").write_text('modle = "x"\nmax_tool_steps = "many"\n')
    r = run_i("doctor", "--quick", "--json")
    config = checks(r)["config"]
    assert r.code == 1 and not config["ok"]
    assert (
        "unknown key 'modle'" in config["detail"]
        and "max_tool_steps must be int" in config["detail"]
    )


def test_nothing_installed_is_all_named(run_i) -> None:
    r = run_i("doctor", "--json", env={"PATH": "/usr/bin:/bin"})
    found = checks(r)
    assert r.code == 1
    assert found["backend"]["fix"] == "i init"
    assert found["llama-server"]["fix"] == "i runtime install"
    assert found["model"]["fix"] == "i model pull qwen2.5-coder-1.5b"
    assert not found["smoke test"]["ok"]
