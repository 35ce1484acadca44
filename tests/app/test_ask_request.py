"""The ask use case reads the request's `--context` pairs itself (app/ask.py `build`): a bad
pair fails the turn as a usage error before anything is built or read."""

from __future__ import annotations

from pathlib import Path

import pytest

from intent.app import ask
from intent.errors import UsageError
from intent.run import audit


def test_context_pairs_become_the_extra_context() -> None:
    assert ask.parse_context(("lang=fr", " repo = x=y", "empty=")) == {
        "lang": "fr",
        "repo": " x=y",
        "empty": "",
    }


@pytest.mark.parametrize("pair", ["novalue", "=v", " =v"])
def test_a_bad_context_pair_fails_the_turn_before_stdin_is_read(
    pair: str, tmp_path: Path, intent_home: Path
) -> None:
    reads: list[bool] = []

    def read_stdin() -> bytes | None:
        reads.append(True)
        return b"piped"

    request = ask.Request("list files", backend="mock", context=(pair,), read_stdin=read_stdin)
    asked = ask.Ask(request, screen=None, cwd=tmp_path).run()  # type: ignore[arg-type]
    assert isinstance(asked.error, UsageError) and pair in asked.error.message
    assert asked.turn.exit_code == 2 and reads == []
    (record,) = audit.read(intent_home / "state" / "audit.jsonl")
    assert record["prompt"] == "list files" and record["exit_code"] == 2
