"""The one pty driver: `i` on a real terminal, keys in, screen out (tests and benches)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path


class Terminal:
    def __init__(
        self, args: list[str], script: list, cwd: Path, env: dict[str, str] | None = None
    ) -> None:
        path = cwd / "script.json"
        path.write_text(json.dumps(script))
        self.master, slave = pty.openpty()
        env = {**os.environ, "INTENT_MOCK_SCRIPT": str(path), "TERM": "dumb", **(env or {})}
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
