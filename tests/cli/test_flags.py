"""The ask flags are written in two places, the Typer signature (cli/app.py) and the use case's
`Request` (app/ask.py); these tests tie them, so a flag added to one cannot be lost on the way."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from typer.testing import CliRunner

from intent.app.ask import Request
from intent.cli import app, ask

RENAMED = {"json_out": "json"}  # `json` would shadow the module inside the command
# what the terminal says, not a flag: cli/ask.py adds it (history: a caller's conversation)
NOT_FLAGS = {"history", "read_stdin", "tty", "shell_channel"}


def _flags() -> list[dataclasses.Field[object]]:
    return [f for f in dataclasses.fields(Request) if f.name not in NOT_FLAGS]


def test_every_flag_is_a_request_field_and_back() -> None:
    params = set(inspect.signature(app.ask).parameters)
    assert {RENAMED.get(p, p) for p in params} == {f.name for f in _flags()}


def test_every_flag_reaches_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Request] = []
    monkeypatch.setattr(ask, "run", lambda request: seen.append(request) or 0)
    bools = [f for f in _flags() if f.type in ("bool", bool)]
    argv = [f"--{f.name.replace('_', '-')}" for f in bools]
    argv += ["--context", "k=v", "--model", "m", "--backend", "mock", "--timeout", "5", "hi"]
    result = CliRunner().invoke(app.ask_app, argv)
    assert result.exit_code == 0, result.output
    (request,) = seen
    assert all(getattr(request, f.name) is True for f in bools)
    assert (request.prompt, request.context) == ("hi", ("k=v",))
    assert (request.model, request.backend, request.timeout) == ("m", "mock", 5)
