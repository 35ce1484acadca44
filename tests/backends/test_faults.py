"""Fault injection: each failure a user could meet, with the exit code and message they would
expect, and nothing lost (the audit log keeps a record, no half line, no command run blind)."""

from __future__ import annotations

import errno
import functools
import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import command_reply

from intent import process
from intent.app.ask import Request
from intent.cli import ask
from intent.run import audit


def _audit(home: Path) -> list[dict]:
    return audit.read(home / "state" / "audit.jsonl")


def _run_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, script: list, **opts: object
) -> int:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script))
    monkeypatch.setenv("INTENT_MOCK_SCRIPT", str(path))
    monkeypatch.chdir(tmp_path)
    return ask.run(Request("say hello", backend="mock", **opts))  # type: ignore[arg-type]


@pytest.fixture
def commands_run(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A spy on the one place user commands start (it still runs them)."""
    seen: list[list[str]] = []
    real = process.run_user_command

    def spy(argv: list[str], **kw: object) -> process.CommandOutcome:
        seen.append(argv)
        return real(argv, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(process, "run_user_command", spy)
    return seen


@pytest.mark.parametrize(
    ("err", "words"),
    [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")],
)
def test_audit_write_failing_means_nothing_runs(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    intent_home: Path,
    commands_run: list,
    capsys: pytest.CaptureFixture[str],
    err: int,
    words: str,
) -> None:
    audit.append(intent_home / "state" / "audit.jsonl", {"id": "earlier", "prompt": "kept"})
    real_write = os.write

    def failing(fd: int, data: bytes) -> int:
        if data.startswith(b'{"id"'):  # an audit line; everything else writes normally
            real_write(fd, data[:10])  # part of it lands before the disk gives up
            raise OSError(err, os.strerror(err))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing)
    code = _run_in_process(monkeypatch, tmp_path, [command_reply("echo hi")], yes=True)
    monkeypatch.setattr(os, "write", real_write)
    assert code == 3
    assert commands_run == []
    err_lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("i:")]
    assert len(err_lines) == 1 and words in err_lines[0] and "nothing was run" in err_lines[0]
    assert [r["id"] for r in _audit(intent_home)] == ["earlier"]  # no half line glued on
    assert (intent_home / "state" / "audit.jsonl").read_text().count("\n") == 1


def test_read_only_state_dir_means_nothing_runs(run_i, intent_home: Path) -> None:
    intent_home.mkdir(parents=True)
    (intent_home / "state").write_text("")  # unwritable for root too: not a directory
    r = run_i("--backend", "mock", "--yes", "--json", "x", script=[command_reply("echo RAN")])
    assert r.code == 3
    env = r.json()
    assert env["status"] == "error" and not env["executed"] and "stdout" not in env
    assert "nothing was run" in env["error"] and "is not a directory" in env["error"]


# -- a model stream that dies mid-reply --------------------------------------------------


@pytest.fixture
def dying_server() -> Iterator[str]:
    """An OpenAI-compatible endpoint that promises a body and hangs up half-way through it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                body = b'{"choices": [{"message": {"content": "{\\"command\\": \\"ls'
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 4000\r\n\r\n" + body
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    thread.join(2)
    listener.close()


def test_stream_dying_mid_reply_is_exit_3(run_i, intent_home: Path, dying_server: str) -> None:
    (intent_home / "config").mkdir(parents=True)
    (intent_home / "config" / "config.toml").write_text(
        f'retry_budget = 3\n[openai]\nbase_url = "{dying_server}"\nmodel = "m"\n'
    )
    started = time.monotonic()
    r = run_i("--backend", "openai", "--dry", "list files")
    assert time.monotonic() - started < 30  # a dropped reply is retried within the budget only
    assert r.code == 3
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    waits, rest = lines[:-1], lines[-1]
    # each retry of the dropped connection is shown, then one line says what failed and where
    assert waits and all(w.startswith("waiting ") and "connection" in w for w in waits)
    assert "stayed unavailable" in rest and "retry_budget" in rest
    turns = _audit(intent_home)
    assert len(turns) == 1 and turns[0]["decision"] == "error" and turns[0]["exit_code"] == 3


# -- a tool that hangs -------------------------------------------------------------------


def test_hanging_tool_ends_as_an_error_and_the_turn_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, intent_home: Path
) -> None:
    from intent.turn import tools

    release = threading.Event()
    monkeypatch.setattr(tools.Toolbox, "tool_cwd", lambda self: str(release.wait(30)))
    monkeypatch.setattr(tools, "Toolbox", functools.partial(tools.Toolbox, timeout=0.3))
    script = [{"tool_call": {"name": "cwd", "arguments": {}}}, command_reply("ls")]
    started = time.monotonic()
    code = _run_in_process(monkeypatch, tmp_path, script, dry=True, json=True)
    release.set()
    assert code == 0
    assert time.monotonic() - started < 10  # abandoned, not waited out (the tool sleeps 30 s)
    assert _audit(intent_home)[0]["response"]["command"] == "ls"


# -- config corrupted between two invocations ---------------------------------------------


def test_config_corrupted_between_invocations(run_i, intent_home: Path) -> None:
    assert run_i("config", "set", "max_tool_steps", "3").code == 0
    assert run_i("--backend", "mock", "--dry", "x", script=[command_reply("ls")]).code == 0
    config = intent_home / "config" / "config.toml"
    config.write_bytes(config.read_bytes()[:-3] + b"\xff\n")  # a half-written, mangled save
    r = run_i("--backend", "mock", "--dry", "--json", "x", script=[command_reply("ls")])
    assert r.code == 2
    assert "config.toml" in r.json()["error"] and "i config edit" in r.json()["error"]
    assert [t["exit_code"] for t in _audit(intent_home)] == [0, 2]  # both turns recorded
    config.unlink()
    assert run_i("--backend", "mock", "--dry", "x", script=[command_reply("ls")]).code == 0


# -- kill -9 of the llama-server child during a tool loop (real) ---------------------------


@pytest.mark.real
def test_sigkill_of_the_child_during_a_tool_loop_is_exit_3(
    real_parts, intent_home: Path, tmp_path: Path
) -> None:
    from intent.backends.llama_server import LlamaServer, ServerOptions
    from intent.errors import BackendUnavailable
    from intent.settings import paths
    from intent.turn import prompt, tools
    from intent.turn.engine import Engine

    server = LlamaServer(
        ServerOptions(real_parts.server, real_parts.model, ctx_size=2048), paths.resolve()
    )

    class ToolFirst:
        """A real child; the first step is steered into a tool call (the child is up and
        warm by then), every later step is a real request."""

        name = "llama-server"

        def __init__(self) -> None:
            self.steps = 0

        def complete(self, messages, schema_, *, max_tokens, discourage_repeats=False):
            from intent.backends.base import Completion

            self.steps += 1
            if self.steps == 1:
                server.start()
                return Completion(json.dumps({"tool_call": {"name": "cwd", "arguments": {}}}))
            return server.complete(messages, schema_, max_tokens=16)

        def close(self) -> None:
            server.close()

    class KillingToolbox(tools.Toolbox):
        def tool_cwd(self) -> str:
            assert server.proc is not None
            os.kill(server.proc.pid, signal.SIGKILL)  # the child dies while a tool runs
            return str(self.cwd)

    engine = Engine(ToolFirst(), KillingToolbox(tmp_path), max_tool_steps=3)
    try:
        with pytest.raises(BackendUnavailable, match="llama-server crashed") as info:
            gen = engine.run("where am I", prompt.gather(tmp_path))
            while True:
                next(gen)
        assert info.value.exit_code == 3
        assert info.value.hint and "i doctor" in info.value.hint
    finally:
        server.close()
    assert server.proc is None or server.proc.poll() is not None
