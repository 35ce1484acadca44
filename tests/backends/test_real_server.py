"""Real llama.cpp binaries with the real tiny Gemma model: what a user sees.

These start real `llama-server` / `llama-completion` processes. After each test, no server
started by it may be alive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intent.reply import schema

pytestmark = pytest.mark.real

# What a tiny base model may do with a plain request: propose (0), refuse (4), ask back (8).
# The plumbing under test is the same in each case: a schema-valid reply from a real server.
ANSWERED = (0, 4, 8)


def llama_servers() -> set[int]:
    pids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().split(b"\0")[0]
            except OSError:
                continue
            if cmd.endswith(b"llama-server"):
                try:
                    state = (d / "stat").read_text().split(") ")[1].split()[0]
                except (OSError, IndexError):
                    continue
                if state != "Z":
                    pids.add(int(d.name))
    return pids


@pytest.fixture(autouse=True)
def no_server_left_behind():
    before = llama_servers()
    yield
    deadline = time.monotonic() + 3
    while (left := llama_servers() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"llama-server processes left running: {left}"


@pytest.fixture
def real_env(real_parts, tmp_path: Path) -> dict[str, str]:
    env = {
        "INTENT_LLAMA_SERVER": str(real_parts.server),
        "INTENT_MODEL": str(real_parts.model),
        "INTENT_LLAMA_COMPLETION": str(real_parts.completion or ""),
    }
    return env


def test_dry_json_through_a_real_llama_server(run_i, real_env) -> None:
    r = run_i("--dry", "--json", "-v", "list the files here", env=real_env, timeout=120)
    assert r.code in ANSWERED, r.stderr
    obj = r.json()
    assert obj["backend"] == "llama-server"
    assert obj["model"] == "gemma-3-270m-q4_k_m.gguf"
    schema.validate(obj["response"])
    assert obj["timings"]["startup_ms"] > 0 and obj["timings"]["model_ms"] > 0
    assert "backend: llama-server (auto: llama-server from env)" in r.stderr
    assert "prompt_n=" in r.stderr  # the real server's timings reached the user under -v


def test_dry_json_through_llama_completion(run_i, real_env, real_parts) -> None:
    if real_parts.completion is None:
        pytest.fail("llama-completion was not installed next to llama-server")
    # each one-shot call loads the model again: a base model that keeps calling tools made
    # this test outlast its timeout on a loaded machine (148 s alone, 180+ under load)
    assert run_i("config", "set", "max_tool_steps", "2", env=real_env).code == 0
    r = run_i(
        "--backend",
        "llama-cli",
        "--dry",
        "--json",
        "list the files here",
        env=real_env,
        timeout=400,
    )
    assert r.code in (*ANSWERED, 5), r.stderr
    obj = r.json()
    assert obj["backend"] == "llama-cli"
    if r.code == 4 and obj["response"] is None:
        # a base model may call tools until the budget is spent: refused, and it says why
        assert obj["status"] == "refused" and obj["error"], obj
    elif (
        r.code != 5
    ):  # a base model may ramble past the token limit; the schema check must then say so
        schema.validate(obj["response"])
    else:
        assert "invalid twice" in obj["error"]


def test_tool_turn_spawns_the_server_once(real_parts, intent_home: Path, tmp_path: Path) -> None:
    """Every step is a real request to the same child; the second reuses its KV cache."""
    from intent.backends.base import Completion
    from intent.backends.llama_server import LlamaServer, ServerOptions
    from intent.errors import Refused
    from intent.settings import paths
    from intent.turn import prompt, tools
    from intent.turn.engine import Engine

    server = LlamaServer(
        ServerOptions(real_parts.server, real_parts.model, ctx_size=4096), paths.resolve()
    )

    class FirstStepIsATool:
        name = "llama-server"

        def __init__(self) -> None:
            self.calls: list[dict] = []

        def complete(self, messages, schema_, *, max_tokens, discourage_repeats=False):
            real = server.complete(
                messages, schema_, max_tokens=48, discourage_repeats=discourage_repeats
            )
            self.calls.append(real.timings)
            if len(self.calls) <= 2:  # steer the tiny base model into two tool steps
                return Completion(
                    json.dumps({"tool_call": {"name": "list_dir", "arguments": {"path": "."}}}),
                    real.timings,
                )
            return real

        def close(self) -> None:
            server.close()

    (tmp_path / "hello.txt").write_text("hi")
    backend = FirstStepIsATool()
    engine = Engine(backend, tools.Toolbox(tmp_path), max_tool_steps=2)
    try:
        gen = engine.run("list the files here", prompt.gather(tmp_path))
        while True:
            next(gen)
    except StopIteration:
        pass  # a final answer
    except Refused:
        pass  # the tiny model asked for a third tool: the budget of 2 ends the turn
    finally:
        backend.close()
    assert server.spawn_count == 1
    assert len(backend.calls) == 3
    assert backend.calls[1]["cache_n"] > 0, "the second step did not reuse the warm KV cache"


def test_sigkill_of_i_takes_its_server_down(real_env, tmp_path: Path) -> None:
    env = {**os.environ, **real_env}
    before = llama_servers()
    proc = subprocess.Popen(
        [sys.executable, "-m", "intent", "--dry", "--no-snapshot", "write a long poem"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    ours: set[int] = set()
    log = Path(env["INTENT_HOME"]) / "state" / "logs" / "llama-server.log"
    while time.monotonic() < deadline:
        ours = llama_servers() - before
        if ours and log.exists() and "processing task" in log.read_text(errors="replace"):
            break  # the model is answering the request
        time.sleep(0.02)
    assert ours, "llama-server never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = time.monotonic()
    while (ours & llama_servers()) and time.monotonic() - killed_at < 2:
        time.sleep(0.02)
    assert not (ours & llama_servers()), "llama-server outlived a SIGKILLed i"


def _one_line_exit_3(r, started: float, *fix_words: str) -> None:
    assert r.code == 3, r.stderr
    assert time.monotonic() - started < 5
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert any(w in lines[0] for w in fix_words), lines[0]


def test_corrupt_gguf_fails_fast(run_i, real_env, tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4096))
    started = time.monotonic()
    r = run_i("--dry", "find big files", env={**real_env, "INTENT_MODEL": str(bad)})
    _one_line_exit_3(r, started, "i model pull", "i doctor")


def test_missing_binary_fails_fast(run_i, real_env, tmp_path: Path) -> None:
    started = time.monotonic()
    r = run_i(
        "--backend",
        "llama-server",
        "--dry",
        "x",
        env={**real_env, "INTENT_LLAMA_SERVER": str(tmp_path / "nope" / "llama-server")},
    )
    _one_line_exit_3(r, started, "i runtime install")


def test_binary_that_exits_at_once_fails_fast(run_i, real_env, tmp_path: Path) -> None:
    """With nothing to fail over to (no one-shot binary), one line and exit 3."""
    fake = tmp_path / "llama-server"
    fake.write_text("#!/bin/sh\necho 'error: something is wrong' >&2\nexit 1\n")
    fake.chmod(0o755)
    started = time.monotonic()
    env = {
        **real_env,
        "INTENT_LLAMA_SERVER": str(fake),
        "INTENT_LLAMA_COMPLETION": str(tmp_path / "none" / "llama-completion"),
    }
    r = run_i("--dry", "x", env=env)
    _one_line_exit_3(r, started, "i doctor", "i runtime install")


def test_binary_that_exits_at_once_falls_back_to_the_real_one_shot(
    run_i, real_env, real_parts, tmp_path: Path
) -> None:
    if real_parts.completion is None:
        pytest.fail("llama-completion was not installed next to llama-server")
    fake = tmp_path / "llama-server"
    fake.write_text("#!/bin/sh\necho 'error: invalid argument: --no-webui' >&2\nexit 1\n")
    fake.chmod(0o755)
    r = run_i(
        "--dry",
        "--json",
        "list the files here",
        env={**real_env, "INTENT_LLAMA_SERVER": str(fake)},
        timeout=180,
    )
    assert r.code in (*ANSWERED, 5), r.stderr
    assert r.json()["backend"] == "llama-cli", (r.stderr, r.stdout)
    assert (
        "llama-server unavailable (exited at start, exit 1); answered by the local model (one-shot)"
        in r.stderr
    )


def test_port_taken_is_retried_then_reported(real_parts, monkeypatch, intent_home: Path) -> None:
    import socket

    from intent.backends.llama_server import child as ls
    from intent.errors import BackendUnavailable
    from intent.settings import paths

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    free = ls.free_port()
    ports = iter([port, free])
    monkeypatch.setattr(ls, "free_port", lambda: next(ports))
    server = ls.LlamaServer(ls.ServerOptions(real_parts.server, real_parts.model), paths.resolve())
    try:
        server.start()
        assert server.port == free and server.spawn_count == 2
    finally:
        server.close()
    monkeypatch.setattr(ls, "free_port", lambda: port)
    server = ls.LlamaServer(ls.ServerOptions(real_parts.server, real_parts.model), paths.resolve())
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as info:
        server.start()
    server.close()
    taken.close()
    assert time.monotonic() - started < 5
    assert "\n" not in info.value.message and "again" in (info.value.hint or "")


def test_snapshot_makes_the_next_invocation_reuse_the_system_prompt(
    run_i, real_env, intent_home: Path
) -> None:
    first = run_i("-v", "--dry", "--no-cache", "list the files here", env=real_env, timeout=120)
    assert first.code in ANSWERED, first.stderr
    assert list((intent_home / "cache" / "kv").glob("*.bin")), "no snapshot was saved"
    second = run_i("-v", "--dry", "--no-cache", "show disk usage", env=real_env, timeout=120)
    assert "snapshot_restored=True" in second.stderr
    cache_n = int(second.stderr.split("cache_n=")[1].split()[0])
    assert cache_n > 200, second.stderr  # the system prompt's tokens were not processed again


def test_corrupt_snapshot_is_ignored_by_a_real_server(run_i, real_env, intent_home: Path) -> None:
    run_i("--dry", "--no-cache", "list the files here", env=real_env, timeout=120)
    [snap] = list((intent_home / "cache" / "kv").glob("*.bin"))
    snap.write_bytes(os.urandom(snap.stat().st_size))  # same size, garbage content
    r = run_i("-v", "--dry", "--no-cache", "--json", "show disk usage", env=real_env, timeout=120)
    assert r.code in ANSWERED, r.stderr
    assert "snapshot_restored=True" not in r.stderr
    assert "warning: KV snapshot not restored" in r.stderr or "disabled" in r.stderr


def test_explain_summary_from_a_real_model(run_i, real_env) -> None:
    r = run_i("explain", "tar -xzvf archive.tgz -C /tmp", env=real_env, timeout=120)
    assert r.code == 0, r.stderr
    lines = r.stdout.splitlines()
    risk_at = next(i for i, line in enumerate(lines) if line.startswith("risk:"))
    summary_at = next(i for i, line in enumerate(lines) if line.startswith("summary: "))
    assert summary_at > risk_at and len(lines[summary_at]) > len("summary: ")
    r = run_i("explain", "--json", "tar -xzvf archive.tgz -C /tmp", env=real_env, timeout=120)
    assert isinstance(json.loads(r.stdout)["summary"], str)


def test_hung_server_is_an_error_not_a_hang(real_parts, intent_home: Path) -> None:
    from intent.backends.llama_server import LlamaServer, ServerOptions
    from intent.errors import BackendUnavailable
    from intent.settings import paths

    server = LlamaServer(
        ServerOptions(real_parts.server, real_parts.model, request_timeout=2), paths.resolve()
    )
    try:
        server.start()
        os.kill(server.proc.pid, signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(BackendUnavailable, match="did not answer within 2s"):
            server.complete(
                [{"role": "user", "content": "hi"}], schema.RESPONSE_SCHEMA, max_tokens=8
            )
        assert time.monotonic() - started < 5
        os.kill(server.proc.pid, signal.SIGCONT)
    finally:
        server.close()


def test_server_crash_mid_request_is_exit_3(real_parts, intent_home: Path) -> None:
    import threading

    from intent.backends.llama_server import LlamaServer, ServerOptions
    from intent.errors import BackendUnavailable
    from intent.settings import paths

    server = LlamaServer(ServerOptions(real_parts.server, real_parts.model), paths.resolve())
    try:
        server.start()
        threading.Timer(0.3, lambda: os.kill(server.proc.pid, signal.SIGKILL)).start()
        with pytest.raises(BackendUnavailable, match="crashed") as info:
            server.complete(
                [{"role": "user", "content": "write a very long story " * 20}],
                schema.RESPONSE_SCHEMA,
                max_tokens=2000,
            )
        assert info.value.exit_code == 3
    finally:
        server.close()


def test_answer_cache_hit_is_reguarded_and_needs_no_server(
    run_i, real_env, intent_home: Path
) -> None:
    first = run_i("--dry", "--json", "list the files here", env=real_env, timeout=120)
    assert first.json()["cached"] is False
    started = time.monotonic()
    second = run_i("--dry", "--json", "list the files here", env=real_env, timeout=120)
    assert second.json()["cached"] is True and second.json()["response"] == first.json()["response"]
    assert time.monotonic() - started < 3  # no model was started
    # a poisoned cache entry still meets the guard
    [entry] = list((intent_home / "cache" / "answers").glob("*.json"))
    data = json.loads(entry.read_text())
    data["reply"] = {
        "command": "rm -rf ~",
        "description": "d",
        "risk": "safe",
        "expected_runtime": "instant",
        "confidence": "high",
    }
    entry.write_text(json.dumps(data))
    third = run_i("--json", "list the files here", env=real_env)
    assert (
        third.code == 4
        and third.json()["guard"]["hard_reject"] is True
        and third.json()["cached"] is True
    )
    assert (
        run_i(
            "--dry", "--json", "--no-cache", "list the files here", env=real_env, timeout=120
        ).json()["cached"]
        is False
    )
