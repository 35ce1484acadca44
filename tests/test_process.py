"""The process choke point: children die with `i`, by the kernel or by the watchdog."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intent import process

SPAWNER = """
import sys, time
from pathlib import Path
from intent import process
child = process.spawn_child(["sleep", "60"], log_path=Path(sys.argv[1]), env={"PATH": "/usr/bin:/bin"},
                            watchdog=sys.argv[2] == "watchdog")
print(child.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("mode", ["kernel", "watchdog"])
def test_child_dies_when_its_parent_is_sigkilled(tmp_path: Path, mode: str) -> None:
    if mode == "kernel" and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    parent = subprocess.Popen(
        [sys.executable, "-c", SPAWNER, str(tmp_path / "log"), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    assert process.pid_alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 3
    while (
        time.monotonic() < deadline
        and process.pid_alive(child)
        and "sleep" in process.process_cmdline(child)
    ):
        time.sleep(0.05)
    alive = process.pid_alive(child) and "sleep" in process.process_cmdline(child)
    if alive:
        os.killpg(child, signal.SIGKILL)
    assert not alive, f"child outlived its parent ({mode})"


def test_run_captures_and_times_out() -> None:
    ok = process.run(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout=5)
    assert (ok.returncode, ok.stdout, ok.stderr) == (3, "out\n", "err\n")
    slow = process.run(["sleep", "5"], timeout=0.2)
    assert slow.timed_out
