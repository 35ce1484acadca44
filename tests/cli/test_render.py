"""The renderer read directly: untrusted text made visible, and the lines of a proposal."""

from __future__ import annotations

import pytest

from intent.cli import render
from intent.guard import Verdict
from intent.turn.engine import Proposal


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text", "plain text"),
        ("a\x1b[2Kb", "a\\e[2Kb"),  # erase line
        ("x\ry", "x\\ry"),  # carriage return: would overwrite the line
        ("evil\u202etxt", "evil\\u202etxt"),  # bidi override reverses what follows
        ("bad\ud800", "bad\\ud800"),  # a lone surrogate cannot even be written
        ("tab\there", "tab\\there"),
        ("two\nlines", "two\\nlines"),
    ],
)
def test_visible_escapes_what_could_move_or_hide_text(raw: str, shown: str) -> None:
    assert render.visible(raw) == shown


def test_visible_keeps_newlines_when_asked() -> None:
    assert render.visible("one\ntwo\x07", newlines=True) == "one\ntwo\\a"


def test_proposal_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    reply = {"command": "rm -rf build\x1b[8m", "description": "Deletes build.", "risk": "mutates"}
    verdict = Verdict("destructive", False, ["rm -r deletes a tree"])
    p = Proposal(reply, "command", verdict, "destructive", warnings=["-z is not documented"])
    render.proposal(p, cached=True)
    captured = capsys.readouterr()
    assert captured.out == ""  # decoration never goes to stdout
    assert captured.err.splitlines() == [
        "[destructive] rm -rf build\\e[8m",
        "  warning: -z is not documented",
        "  Deletes build. (cached answer)",
        "  - rm -r deletes a tree",
    ]


def test_a_fenced_command_has_no_description_line_and_describe_says_why(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    p = Proposal({"command": "grep -c 'a b' log"}, "command", Verdict("safe", False, []), "safe")
    render.proposal(p)
    assert capsys.readouterr().err.splitlines() == ["[safe] grep -c 'a b' log"]
    render.describe(p)
    assert capsys.readouterr().err.splitlines() == [
        "  no description from the model; `i explain 'grep -c '\"'\"'a b'\"'\"' log'` reads one "
        "from local documentation",
        "  risk: safe (the guard's rating)",
    ]


def test_quiet_proposal_off_a_terminal_shows_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    p = Proposal({"command": "ls", "description": "Lists."}, "command", None, "safe")
    render.proposal(p, quiet=True)
    assert capsys.readouterr().err == ""


def test_script_proposal_is_indented_under_its_interpreter(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    reply = {"script": {"interpreter": "python3", "body": "print(1)\nprint(2)"}, "description": "d"}
    render.proposal(Proposal(reply, "script", None, "mutates"), quiet=False)
    assert capsys.readouterr().err.splitlines()[:3] == [
        "[mutates] python3 script:",
        "    print(1)",
        "    print(2)",
    ]
