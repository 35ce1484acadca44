"""Confirmation in a real terminal (a pty): friction by risk, Ctrl-D cancels."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from conftest import command_reply as reply


class Terminal:
    def __init__(self, args: list[str], script: list, cwd: Path) -> None:
        path = cwd / "script.json"
        path.write_text(json.dumps(script))
        self.master, slave = pty.openpty()
        env = {**os.environ, "INTENT_MOCK_SCRIPT": str(path), "TERM": "dumb"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "intent", "--backend", "mock", *args],
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=lambda: __import__("fcntl").ioctl(0, __import__("termios").TIOCSCTTY, 0),
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"did not see {text!r}; screen: {self.seen!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode(errors="replace")
                except OSError:
                    break

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait(self) -> int:
        code = self.proc.wait(timeout=15)
        os.close(self.master)
        return code


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
