"""Failover, end to end: fake servers that misbehave (500 forever, 503 forever, 429 with a long
Retry-After, a refused connection, a llama-server that crashes at start), a stand-in local
model that answers, and the circuit breaker that remembers the failure for the next `i`."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from conftest import command_reply
from fake_bins import fake_completion, fake_model, fake_server, runs
from fake_llm import FakeServer

from intent.backends.breaker import Breaker

REPLY = command_reply("ls -la")
JSON = {"content-type": "application/json"}


def write_config(home: Path, text: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text("kv_snapshot = false\n" + text)


def failing(status: int, message: str = "busy", headers: dict[str, str] | None = None):
    """A route that lists one model and answers every chat request with `status`."""

    def route(method: str, path: str, body: dict) -> tuple[int, dict[str, str], bytes]:
        if path == "/v1/models":
            return 200, JSON, json.dumps({"data": [{"id": "m"}]}).encode()
        if path == "/v1/chat/completions":
            err = json.dumps({"error": {"message": message}}).encode()
            return status, {**JSON, **(headers or {})}, err
        return 404, JSON, b"{}"

    return route


def chats(server: FakeServer) -> int:
    return sum(1 for _, path, _ in server.seen if path == "/v1/chat/completions")


@pytest.fixture
def local(tmp_path: Path) -> dict[str, Path]:
    """A stand-in llama.cpp install that answers REPLY: server, one-shot binary, model."""
    server, starts = fake_server(tmp_path / "bin", REPLY, load_s=0.2)
    completion, completions = fake_completion(tmp_path / "bin", REPLY)
    return {
        "server": server,
        "starts": starts,
        "completion": completion,
        "completions": completions,
        "model": fake_model(tmp_path / "models"),
    }


def local_env(local: dict[str, Path], *, server: bool = True) -> dict[str, str]:
    return {
        "INTENT_LLAMA_SERVER": str(local["server"] if server else "/nonexistent/llama-server"),
        "INTENT_LLAMA_COMPLETION": str(local["completion"]),
        "INTENT_MODEL": str(local["model"]),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_503_forever_fails_over_to_the_local_model_and_is_remembered(
    run_i, intent_home: Path, local: dict[str, Path]
) -> None:
    with FakeServer(failing(503, "overloaded")) as remote:
        write_config(
            intent_home,
            f'backend = "openai"\nfailover = true\nretry_budget = 2\n'
            f'[openai]\nbase_url = "{remote.url}"\nmodel = "m"\n',
        )
        started = time.monotonic()
        r = run_i("--dry", "--json", "list files", env=local_env(local))
        took = time.monotonic() - started
        assert r.code == 0, r.stderr
        obj = r.json()
        assert obj["backend"] == "llama-server" and obj["response"]["command"] == "ls -la"
        assert "failover" in obj["backend_source"] and "503" in obj["backend_source"]
        notice = [line for line in r.stderr.splitlines() if "answered by" in line]
        assert len(notice) == 1, r.stderr
        assert "remote server unavailable (503 ×" in notice[0]
        assert notice[0].endswith("answered by the local model")
        assert took < 2 + 10  # the budget, then the local model
        asked = chats(remote)
        assert asked >= 2  # retried within the budget before giving up

        # the next `i` remembers: the remote server is not asked while it is held down
        r = run_i("--dry", "--json", "list files", env=local_env(local))
        assert r.code == 0, r.stderr
        assert chats(remote) == asked
        assert "skipped until" in r.stderr and "answered by the local model" in r.stderr
    assert Breaker(intent_home / "cache").down(f"openai {remote.url}/v1") is not None


def test_a_backend_chosen_by_name_does_not_fail_over_without_the_setting(
    run_i, intent_home: Path, local: dict[str, Path]
) -> None:
    with FakeServer(failing(503)) as remote:
        write_config(
            intent_home,
            f'retry_budget = 1\n[openai]\nbase_url = "{remote.url}"\nmodel = "m"\n',
        )
        r = run_i("--backend", "openai", "--dry", "--json", "x", env=local_env(local))
    assert r.code == 3
    assert "stayed unavailable" in r.json()["error"]
    assert runs(local["starts"]) == 0 and runs(local["completions"]) == 0


def test_500_forever_costs_the_budget_and_shows_the_servers_message(
    run_i, intent_home: Path
) -> None:
    said = "Failed to parse tool call\x1b[2J at\nposition 3" + "x" * 400
    with FakeServer(failing(500, said)) as remote:
        write_config(
            intent_home,
            f'retry_budget = 3\n[openai]\nbase_url = "{remote.url}"\nmodel = "m"\n',
        )
        started = time.monotonic()
        r = run_i("--backend", "openai", "--dry", "x")
        took = time.monotonic() - started
    assert r.code == 3
    assert 3 <= took < 3 + 5  # the budget, not six retries over a minute
    last = [line for line in r.stderr.splitlines() if line.strip()][-1]
    assert "Failed to parse tool call" in last and "\\x1b[2J at position 3" in last
    assert "\x1b" not in r.stderr  # escaped, and cut to one line
    assert "xxxx" in last and "x" * 300 not in last
    waits = [line for line in r.stderr.splitlines() if line.startswith("waiting ")]
    assert waits and all("HTTP 500" in w for w in waits)  # each wait shown as it happens


def test_429_with_a_long_retry_after_fails_over_at_once(
    run_i, intent_home: Path, local: dict[str, Path]
) -> None:
    with FakeServer(failing(429, "rate limited", {"Retry-After": "3600"})) as remote:
        write_config(
            intent_home,
            f'backend = "openai"\nfailover = true\n'
            f'[openai]\nbase_url = "{remote.url}"\nmodel = "m"\n',
        )
        started = time.monotonic()
        r = run_i("--dry", "--json", "x", env=local_env(local))
    assert r.code == 0, r.stderr
    assert time.monotonic() - started < 10  # no hour-long wait, no 20 s budget either
    assert "remote server unavailable (429)" in r.stderr
    assert r.json()["backend"] == "llama-server"


def test_429_with_a_long_retry_after_says_how_long_without_failover(
    run_i, intent_home: Path
) -> None:
    with FakeServer(failing(429, "slow down", {"Retry-After": "3600"})) as remote:
        write_config(intent_home, f'[openai]\nbase_url = "{remote.url}"\nmodel = "m"\n')
        r = run_i("--backend", "openai", "--dry", "x")
    assert r.code == 3
    assert "3600 s" in r.stderr and "slow down" in r.stderr


def test_refused_connection_fails_over_to_the_one_shot_binary(
    run_i, intent_home: Path, local: dict[str, Path]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    write_config(
        intent_home,
        f'backend = "openai"\nfailover = true\n[openai]\nbase_url = "{dead}"\nmodel = "m"\n',
    )
    r = run_i("--dry", "--json", "x", env=local_env(local, server=False))
    assert r.code == 0, r.stderr
    assert r.json()["backend"] == "llama-cli"
    assert "remote server unavailable (connection refused)" in r.stderr
    assert "answered by the local model (one-shot)" in r.stderr
    assert runs(local["completions"]) == 1


def test_llama_server_crashing_at_start_falls_back_to_one_shot_and_is_skipped_next_time(
    run_i, tmp_path: Path, intent_home: Path, local: dict[str, Path]
) -> None:
    write_config(intent_home, "")
    crashing, starts = fake_server(tmp_path / "bad", REPLY, crash="unknown argument: --no-webui")
    env = {**local_env(local), "INTENT_LLAMA_SERVER": str(crashing)}
    r = run_i("--dry", "--json", "-v", "x", env=env)
    assert r.code == 0, r.stderr
    obj = r.json()
    assert obj["backend"] == "llama-cli" and obj["response"]["command"] == "ls -la"
    assert "llama-server unavailable (exited at start, exit 1)" in r.stderr
    assert "answered by the local model (one-shot)" in r.stderr
    assert "backend: llama-cli (failover after llama-server" in r.stderr  # -v says why
    assert runs(starts) == 1

    r = run_i("--dry", "--json", "-v", "x", env=env)
    assert r.code == 0, r.stderr
    assert runs(starts) == 1  # held down: not started again
    assert r.json()["backend"] == "llama-cli"


def test_a_model_that_fails_to_load_is_not_retried_with_the_same_file(
    run_i, tmp_path: Path, intent_home: Path, local: dict[str, Path]
) -> None:
    write_config(intent_home, "")
    crashing, _ = fake_server(tmp_path / "bad", REPLY, crash="failed to load model 'tiny.gguf'")
    env = {**local_env(local), "INTENT_LLAMA_SERVER": str(crashing)}
    r = run_i("--dry", "x", env=env)
    assert r.code == 3
    assert "failed to load model" in r.stderr and "i model pull" in r.stderr
    assert runs(local["completions"]) == 0


def test_an_answer_clears_nothing_but_its_own_entry(intent_home: Path) -> None:
    clock = [1000.0]
    breaker = Breaker(intent_home / "cache", cooldown=60, now=lambda: clock[0])
    breaker.trip("openai http://a/v1", "503 ×3")
    breaker.trip("llama-server", "exited at start, exit 1")
    assert breaker.down("openai http://a/v1") is not None
    clock[0] += 61  # expired: tried again
    assert breaker.down("openai http://a/v1") is None
    breaker.trip("ollama http://o", "connection refused")
    assert [d.key for d in breaker.held()] == ["ollama http://o"]
    breaker.clear("ollama http://o")
    assert breaker.held() == []


def test_a_broken_breaker_file_only_costs_the_memory(intent_home: Path) -> None:
    (intent_home / "cache").mkdir(parents=True)
    (intent_home / "cache" / "breaker.json").write_text("{not json")
    breaker = Breaker(intent_home / "cache")
    assert breaker.down("llama-server") is None
    breaker.trip("llama-server", "x")
    assert breaker.down("llama-server") is not None
