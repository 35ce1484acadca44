"""The proposal as a conversation: the streamed command preview, `r` revise, `c` copy, and
the reply fields the product reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import command_reply as cmd
from test_terminal import Terminal

from intent.backends.mock import MockBackend
from intent.cli import partial
from intent.errors import Refused
from intent.guard import walk as safety
from intent.reply import schema
from intent.run import clipboard
from intent.run.settle import Decision, Mode, settle
from intent.turn import prompt, tools
from intent.turn.engine import Engine, Proposal


@pytest.mark.parametrize(
    ("streamed", "command"),
    [
        ('{"command":"ls -la","descr', "ls -la"),
        ('{"command":"ls -la"', "ls -la"),
        ('{"command":"ls -l', None),  # the string is still open
        ('{"command":"echo \\"hi\\" \\\\', None),  # an escaped quote does not close it
        ('{"command":"echo \\"hi\\"","d', 'echo "hi"'),
        ('{"command":"printf \'a\\tb\\n\'","risk"', "printf 'a\tb\n'"),
        ('{"script":{"interpreter":"bash","body":"for f in *; do echo $f; do', None),
        ('{"script":{"interpreter":"bash","body":"ls\\nwc -l"}', "ls\nwc -l"),
        ('{"tool_call":{"name":"which","arguments":{"name":"x"}}}', None),
        ('{"stdout_to_user":"ls"}', None),
        ('{"command":""}', None),
        ("```sh\nls -la", None),  # the line has not ended
        ("```sh\nls -la\n", "ls -la"),
        ("```sh\nls -la\n```", "ls -la"),
        ("```sh\n\n```", None),
    ],
)
def test_the_command_is_read_once_its_string_closes(streamed: str, command: str | None) -> None:
    assert partial.command_of(streamed) == command


def test_a_command_reply_needs_only_command_description_and_risk() -> None:
    assert schema.validate('{"command":"ls","description":"lists","risk":"safe"}')
    assert schema.validate({**cmd("ls"), "expected_runtime": "long", "confidence": "low"})
    assert '"expected_runtime"' not in prompt.SYSTEM_PROMPT  # the model is not asked for them
    assert '"confidence"' not in prompt.SYSTEM_PROMPT


def test_the_engine_streams_each_reply_to_its_watcher(tmp_path: Path) -> None:
    seen: list[str] = []
    backend = MockBackend([cmd("ls -la")])
    engine = Engine(backend, tools.Toolbox(tmp_path), watch=seen.append)
    gen = engine.run("list", prompt.gather(tmp_path))
    with pytest.raises(StopIteration):
        while True:
            next(gen)
    assert seen[-1] == json.dumps(cmd("ls -la"))
    first = next(i for i, text in enumerate(seen) if partial.command_of(text))
    assert first < len(seen) - 1, "the command was readable before the reply was complete"


def test_revise_continues_the_same_conversation(tmp_path: Path) -> None:
    backend = MockBackend([cmd("ls"), cmd("ls -a")])
    engine = Engine(backend, tools.Toolbox(tmp_path))

    def drive(gen):  # type: ignore[no-untyped-def]
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    first = drive(engine.run("list", prompt.gather(tmp_path)))
    revised = drive(engine.revise(first, "show hidden files too"))
    assert revised.reply["command"] == "ls -a" and revised.risk == "safe"
    before, after = backend.calls
    assert after[: len(before)] == before, "the revision extends the conversation"
    assert json.loads(after[-2]["content"])["command"] == "ls"
    assert after[-1]["role"] == "user" and "show hidden files too" in after[-1]["content"]


def _proposal(command: str, risk: str = "safe") -> Proposal:
    from intent.turn.engine import proposal_for

    return proposal_for(cmd(command, risk), safety.Context())


def test_a_revision_is_guarded_and_needs_its_own_friction(tmp_path: Path) -> None:
    answers = iter([Decision("revise", feedback="clean up"), Decision("cancel")])
    shown: list[str | None] = []

    def approve(p: Proposal) -> Decision:
        shown.append(p.risk)
        return next(answers)

    released: list[bool] = []
    settled = settle(
        _proposal("ls"),
        Mode(tty=True),
        approve,
        safety.Context(),
        tmp_path,
        revise=lambda p, feedback: _proposal("rm -r build", "safe"),
        release=lambda: released.append(True),
    )
    # the model said safe; the guard rated the revision destructive before asking again
    assert shown == ["safe", "destructive"]
    assert settled.decision == "cancelled" and not released


def test_a_revision_that_the_guard_rejects_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Refused):
        settle(
            _proposal("ls"),
            Mode(tty=True),
            lambda p: Decision("revise", feedback="everything"),
            safety.Context(),
            tmp_path,
            revise=lambda p, feedback: _proposal("rm -rf /"),
        )


def test_the_model_is_released_before_the_command_runs(tmp_path: Path) -> None:
    order: list[str] = []
    settle(
        _proposal("touch ran.txt", "mutates"),
        Mode(tty=True),
        lambda p: order.append("asked") or Decision("run"),
        safety.Context(),
        tmp_path,
        release=lambda: order.append("released" if not (tmp_path / "ran.txt").exists() else "late"),
    )
    assert order == ["asked", "released"] and (tmp_path / "ran.txt").exists()


def test_copy_uses_a_clipboard_program_else_osc52(tmp_path: Path, monkeypatch) -> None:
    assert clipboard.copy_tool({}) is None or clipboard.copy_tool({})[0].endswith("pbcopy")
    fake = tmp_path / "xclip"
    sink = tmp_path / "clip.txt"
    fake.write_text(f"#!/bin/sh\nexec /bin/cat > {sink}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert clipboard.copy("ls -la", {"DISPLAY": ":0"}) == "xclip"
    assert sink.read_text() == "ls -la"
    assert clipboard.copy("ls", {}) is None  # no display: the terminal is asked instead
    assert clipboard.osc52("ls -la") == "\033]52;c;bHMgLWxh\a"


def test_the_terminal_previews_then_rates_revises_and_copies(tmp_path: Path) -> None:
    script = [cmd("ls", description="lists"), cmd("ls -a", description="lists all")]
    t = Terminal(["list"], script, tmp_path)
    t.expect("[Enter] run")
    assert "[…] ls" in t.seen, "the command was shown before it was rated"
    assert t.seen.index("[…] ls") < t.seen.index("[safe] ls")
    t.send("c\r")
    t.expect("copied with the terminal (OSC 52)")
    assert "\033]52;c;bHM=\a" in t.seen
    t.send("r\r")
    t.expect("what should change? ")
    t.send("hidden files too\r")
    t.expect("[safe] ls -a")
    t.expect("lists all")
    t.expect("[r] revise")
    t.send("n\r")
    assert t.wait() == 8


def test_json_and_pipes_are_unchanged(run_i, tmp_path: Path) -> None:
    script = tmp_path / "s.json"
    script.write_text(json.dumps([cmd("ls")]))
    r = run_i("--backend", "mock", "--dry", "list", env={"INTENT_MOCK_SCRIPT": str(script)})
    assert "[…]" not in r.stderr and "\033" not in r.stderr
