"""The one pty driver: a program on a real terminal, keys in, screen out (tests and benches).
`Terminal` is `i` with the scripted mock backend; `Pty` is any program (the real shells)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path


def _child_terminal() -> None:
    """In the child: the pty becomes its controlling terminal, and Ctrl-C its default meaning (a
    suite started as a background job ignores SIGINT, and Python keeps an inherited ignore, so
    the program would never see the Ctrl-C a test sends)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Pty:
    """A program on a pseudo-terminal of its own (its controlling terminal), read with timeouts:
    the one driver for the tests that type at `i` or at a real shell."""

    def __init__(
        self, argv: list[str], *, cwd: Path, env: dict[str, str], cols: int | None = None
    ) -> None:
        self.master, slave = pty.openpty()
        if cols:  # line editors scroll a long line sideways in a narrow (or unsized) terminal
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_child_terminal,
        )
        os.close(slave)
        self.started = time.perf_counter()
        self.seen = ""
        self.pos = 0  # where the next `expect` starts looking

    def expect(self, text: str, timeout: float = 15, after: int | None = None) -> str:
        """Read until `text` appears after what earlier calls matched (or after offset `after`
        of `seen`); returns the screen from there up to and including it (`seen` keeps
        everything; `elapsed()` says when)."""
        if after is not None:
            self.pos = after
        deadline = time.monotonic() + timeout
        while text not in self.seen[self.pos :]:
            left = deadline - time.monotonic()
            assert left > 0, f"did not see {text!r}; screen: {self.seen[self.pos :][-3000:]!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"the program ended before {text!r}: {self.seen!r}")
                self.seen += chunk.decode(errors="replace")
        start = self.pos
        self.pos = self.seen.index(text, start) + len(text)
        return self.seen[start : self.pos]

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def elapsed(self) -> float:
        """Seconds since the program started."""
        return time.perf_counter() - self.started

    def wait(self, timeout: float = 15) -> int:
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        with contextlib.suppress(OSError):
            os.close(self.master)


class Terminal(Pty):
    def __init__(
        self, args: list[str], script: list, cwd: Path, env: dict[str, str] | None = None
    ) -> None:
        path = cwd / "script.json"
        path.write_text(json.dumps(script))
        env = {**os.environ, "INTENT_MOCK_SCRIPT": str(path), "TERM": "dumb", **(env or {})}
        argv = [sys.executable, "-m", "intent", "--backend", "mock", *args]
        super().__init__(argv, cwd=cwd, env=env)
