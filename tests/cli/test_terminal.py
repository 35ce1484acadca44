"""Confirmation in a real terminal (a pty): friction by risk, Ctrl-D cancels."""

from __future__ import annotations

from pathlib import Path

from conftest import command_reply as reply
from ptydriver import Terminal


def test_mutates_needs_y_not_enter(tmp_path: Path) -> None:
    t = Terminal(["make a file"], [reply("touch made.txt", "mutates")], tmp_path)
    t.expect("[y] run")
    t.send("\r")
    t.expect("not run: press y")
    assert not (tmp_path / "made.txt").exists()
    t.send("y\r")
    assert t.wait() == 0
    assert (tmp_path / "made.txt").exists()


def test_destructive_needs_the_word_yes(tmp_path: Path) -> None:
    (tmp_path / "victim.txt").write_text("x")
    t = Terminal(["remove it"], [reply("rm victim.txt", "destructive")], tmp_path)
    t.expect("type 'yes' to run")
    t.send("y\r")
    t.expect("type the word yes")
    assert (tmp_path / "victim.txt").exists()
    t.send("yes\r")
    assert t.wait() == 0
    assert not (tmp_path / "victim.txt").exists()


def test_enter_runs_a_safe_command_and_ctrl_d_cancels(tmp_path: Path) -> None:
    t = Terminal(["say hi"], [reply("echo hi-there", "safe")], tmp_path)
    t.expect("[Enter] run")
    t.send("\r")
    t.expect("hi-there")
    assert t.wait() == 0
    t = Terminal(["make"], [reply("touch never.txt", "mutates")], tmp_path)
    t.expect("[y] run")
    t.send("\x04")
    assert t.wait() == 8
    assert not (tmp_path / "never.txt").exists()


def test_describe_then_cancel(tmp_path: Path) -> None:
    t = Terminal(["make"], [reply("touch x.txt", "safe")], tmp_path)
    t.expect("[y] run")  # the guard raised safe to mutates
    t.send("d\r")
    t.expect("model said safe")
    t.send("n\r")
    assert t.wait() == 8


def test_model_can_ask_the_user_a_question(tmp_path: Path) -> None:
    script = [
        {"tool_call": {"name": "ask_user", "arguments": {"question": "Which folder?"}}},
        reply("ls src", "safe"),
    ]
    t = Terminal(["-v", "list it"], script, tmp_path)
    t.expect("? Which folder?")
    t.send("src\r")
    t.expect("tool ask_user({'question': 'Which folder?'}) -> src")
    t.expect("[Enter] run")
    t.send("n\r")
    assert t.wait() == 8
