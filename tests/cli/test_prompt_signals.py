"""The confirm prompt's line reader on a real terminal: Ctrl-C pressed the moment the prompt
appears interrupts it (a Ctrl-C that lands just before `input()` starts its read used to leave
it waiting for Enter with `^C` on screen), a typed line and Ctrl-D still arrive, and a signal
whose handler does not raise does not end the wait."""

from __future__ import annotations

import sys
from pathlib import Path

from ptydriver import Pty

TREE = Path(__file__).resolve().parents[2]

PROGRAM = r"""
import os, signal, sys
from intent.cli import render

signal.signal(signal.SIGUSR1, lambda *_: print("usr1", file=sys.stderr, flush=True))
for n in range(int(sys.argv[1])):
    try:
        line = render._read(f"ask {n}> ")
    except KeyboardInterrupt:
        sys.stderr.write(f"interrupted {n}\n")
        continue
    sys.stderr.write(f"got {n}: {line!r}\n")
sys.stderr.write(f"pid {os.getpid()} done\n")
"""


def _reader(tmp_path: Path, rounds: int) -> Pty:
    env = {"PYTHONPATH": str(TREE), "PATH": "/usr/bin:/bin", "TERM": "dumb", "LANG": "C.UTF-8"}
    return Pty([sys.executable, "-c", PROGRAM, str(rounds)], cwd=tmp_path, env=env)


def test_ctrl_c_the_moment_the_prompt_appears_interrupts_the_read(tmp_path: Path) -> None:
    rounds = 30
    t = _reader(tmp_path, rounds)
    try:
        for n in range(rounds):
            t.expect(f"ask {n}> ")
            t.send("\x03")  # at once: the reader may not have reached its read yet
            t.expect(f"interrupted {n}", timeout=10)
        t.expect("done")
        assert t.wait() == 0
    finally:
        t.close()


def test_a_line_and_ctrl_d_arrive_and_a_harmless_signal_keeps_waiting(tmp_path: Path) -> None:
    import os
    import signal
    import time

    t = _reader(tmp_path, 3)
    try:
        t.expect("ask 0> ")
        t.send("yes\r")
        t.expect("got 0: 'yes'")
        t.expect("ask 1> ")
        time.sleep(0.2)  # the reader waits now
        os.kill(t.proc.pid, signal.SIGUSR1)
        t.expect("usr1")
        t.send("e\r")  # still the same read: the line typed after the signal is its answer
        t.expect("got 1: 'e'")
        t.expect("ask 2> ")
        t.send("\x04")
        t.expect("got 2: None")
        t.expect("done")
        assert t.wait() == 0
    finally:
        t.close()
