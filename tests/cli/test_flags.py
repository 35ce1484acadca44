"""The ask flags are written in two places, the Typer signature (cli/app.py) and AskOptions
(cli/ask.py); these tests tie them, so a flag added to one cannot be lost on the way."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from typer.testing import CliRunner

from intent.cli import app, ask

RENAMED = {"json_out": "json"}  # `json` would shadow the module inside the command


def test_every_flag_is_an_ask_option_and_back() -> None:
    params = set(inspect.signature(app.ask).parameters) - {"prompt"}
    fields = {f.name for f in dataclasses.fields(ask.AskOptions)}
    assert {RENAMED.get(p, p) for p in params} == fields


def test_every_flag_reaches_ask_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[ask.AskOptions] = []
    monkeypatch.setattr(ask, "run", lambda _prompt, opts, **_kw: seen.append(opts) or 0)
    bools = [f for f in dataclasses.fields(ask.AskOptions) if f.type in ("bool", bool)]
    argv = [f"--{f.name.replace('_', '-')}" for f in bools]
    argv += ["--context", "k=v", "--model", "m", "--backend", "mock", "--timeout", "5", "hi"]
    result = CliRunner().invoke(app.ask_app, argv)
    assert result.exit_code == 0, result.output
    (opts,) = seen
    assert all(getattr(opts, f.name) is True for f in bools)
    assert (opts.context, opts.model, opts.backend, opts.timeout) == (["k=v"], "m", "mock", 5)
