"""The llama-server child at the confirm prompt: warm for `r`, gone on every way out.

Real llama-server with the real tiny Gemma model on a real pty. The request and feedback are
fixed and decoding is greedy, so the model's answers are the same on every run.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ptydriver import Pty

pytestmark = pytest.mark.real

PROMPT_END = "[n] cancel: "


def servers_of(parent: int) -> set[int]:
    """Live llama-server processes whose parent is `parent`."""
    found = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().split(b"\0")[0]
            fields = (d / "stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if cmd.endswith(b"llama-server") and fields[0] != "Z" and int(fields[1]) == parent:
            found.add(int(d.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Session(Pty):
    """`i` on a pty with the real server and model."""

    def __init__(self, real_parts, cwd: Path, *args: str) -> None:
        env = {
            **os.environ,
            "TERM": "xterm",
            "INTENT_LLAMA_SERVER": str(real_parts.server),
            "INTENT_MODEL": str(real_parts.model),
        }
        super().__init__([sys.executable, "-m", "intent", *args], cwd=cwd, env=env)

    def expect(self, text: str, timeout: float = 240, after: int | None = None) -> str:
        return super().expect(text, timeout, after)

    def run_keys(self) -> str:
        """The answer that runs the proposal on screen, whatever risk the guard gave it."""
        last = self.seen[self.seen.rfind("run ·") - 40 :]
        if "type 'yes'" in last:
            return "yes\r"
        return "y\r" if "[y] run" in last else "\r"

    def wait(self, timeout: float = 30) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):  # what the screen said, for the failure report
                while select.select([self.master], [], [], 0.2)[0]:
                    self.seen += os.read(self.master, 4096).decode(errors="replace")
            self.proc.kill()
            raise AssertionError(f"i did not exit; screen: {self.seen[-1500:]!r}") from None
        finally:
            os.close(self.master)


def at_prompt(real_parts, tmp_path: Path) -> tuple[Session, int]:
    s = Session(real_parts, tmp_path, "list the files here")
    s.expect(PROMPT_END)
    servers = servers_of(s.proc.pid)
    assert len(servers) == 1, f"one warm child while the prompt waits: {s.seen[-800:]!r}"
    return s, servers.pop()


def test_r_revises_on_the_same_server(real_parts, tmp_path: Path) -> None:
    s, server = at_prompt(real_parts, tmp_path)
    first = len(s.seen)
    s.send("r\r")
    s.expect("what should change? ", after=first)
    s.send("show hidden files too\r")
    s.expect(PROMPT_END, after=len(s.seen))
    revised = s.seen[first:]
    assert "\x1b[" in revised and "[…]" in revised, "the revision streams in like the first"
    assert servers_of(s.proc.pid) == {server}, "the revision was answered by the same child"
    s.send("n\r")
    assert s.wait() == 8
    assert not alive(server)


@pytest.mark.parametrize("way_out", ["run", "n", "ctrl-c", "ctrl-d", "sigterm", "sigkill"])
def test_the_server_is_gone_on_every_way_out_of_the_prompt(
    real_parts, tmp_path: Path, way_out: str
) -> None:
    s, server = at_prompt(real_parts, tmp_path)
    expected = {"n": 8, "ctrl-d": 8, "ctrl-c": 130, "sigterm": 130, "sigkill": -9}
    if way_out == "run":
        s.send(s.run_keys())
    elif way_out == "n":
        s.send("n\r")
    elif way_out == "ctrl-c":
        s.send("\x03")
    elif way_out == "ctrl-d":
        s.send("\x04")
    elif way_out == "sigterm":
        s.proc.send_signal(signal.SIGTERM)
    else:
        s.proc.kill()
    code = s.wait()
    if way_out in expected:
        assert code == expected[way_out], s.seen[-500:]
    deadline = time.monotonic() + 5
    while alive(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(server), f"llama-server {server} outlived `i` ({way_out})"
