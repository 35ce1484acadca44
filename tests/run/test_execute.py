"""Confirmation friction, edits re-guarded, process-group execution, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intent import process
from intent.errors import ConfirmationNeeded, Refused
from intent.guard import walk as safety
from intent.run.settle import Decision, Mode, settle
from intent.turn.engine import Proposal, guard


def proposal(command: str, risk: str = "safe") -> Proposal:
    reply = {
        "command": command,
        "description": "d",
        "risk": risk,
        "expected_runtime": "instant",
        "confidence": "high",
    }
    verdict, final, actions = guard(reply, safety.Context())
    return Proposal(reply, "command", verdict, final, actions)


CTX = safety.Context()


def test_tty_confirmation_runs_and_passes_exit_status(tmp_path: Path) -> None:
    seen = []
    result = settle(
        proposal("exit 3"),
        Mode(tty=True),
        lambda p: seen.append(p.risk) or Decision("run"),
        CTX,
        tmp_path,
    )
    assert result.status == "executed" and result.exit_code == 3 and seen == ["safe"]


def test_cancel_is_exit_8(tmp_path: Path) -> None:
    result = settle(
        proposal("touch x", "mutates"), Mode(tty=True), lambda p: Decision("cancel"), CTX, tmp_path
    )
    assert result.exit_code == 8 and not (tmp_path / "x").exists()


def test_edit_is_guarded_again(tmp_path: Path) -> None:
    answers = iter([Decision("edit", "touch edited.txt"), Decision("run")])
    risks = []

    def approve(p: Proposal) -> Decision:
        risks.append(p.risk)
        return next(answers)

    result = settle(proposal("ls"), Mode(tty=True), approve, CTX, tmp_path)
    assert risks == ["safe", "mutates"] and result.decision == "edited"
    assert (tmp_path / "edited.txt").exists()
    with pytest.raises(Refused):
        settle(
            proposal("ls"), Mode(tty=True), lambda p: Decision("edit", "rm -rf /"), CTX, tmp_path
        )


def test_yes_runs_only_safe_and_network(tmp_path: Path) -> None:
    assert (
        settle(
            proposal("true"), Mode(yes=True), lambda p: Decision("cancel"), CTX, tmp_path
        ).decision
        == "autorun"
    )
    with pytest.raises(ConfirmationNeeded):
        settle(
            proposal("touch y", "mutates"), Mode(yes=True), lambda p: Decision("run"), CTX, tmp_path
        )
    assert not (tmp_path / "y").exists()


def test_dry_raw_explain_never_prompt_or_run(tmp_path: Path) -> None:
    def boom(p: Proposal) -> Decision:
        raise AssertionError("prompted")

    for mode in (Mode(dry=True, tty=True), Mode(raw=True, tty=True), Mode(explain=True, tty=True)):
        assert (
            settle(proposal("touch z", "mutates"), mode, boom, CTX, tmp_path).status == "proposed"
        )
    assert not (tmp_path / "z").exists()


def test_timeout_kills_the_whole_group(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    started = time.monotonic()
    outcome = process.run_user_command(
        ["bash", "-c", f"sleep 30 & echo $! > {marker}; wait"], timeout=1
    )
    assert outcome.timed_out and time.monotonic() - started < 5
    child = int(marker.read_text())
    time.sleep(0.1)
    assert not process.pid_alive(child) or "sleep" not in process.process_cmdline(child)


def _sleepers(tag: str) -> list[int]:
    return [
        int(d.name)
        for d in Path("/proc").iterdir()
        if d.name.isdigit() and process.process_cmdline(int(d.name)).strip() == f"sleep {tag}"
    ]


def test_ctrl_c_gives_130_and_leaves_nothing(tmp_path: Path) -> None:
    """SIGINT to `i` while a confirmed command runs: exit 130, its process group is gone."""
    tag = f"30.{os.getpid()}"
    script = tmp_path / "s.json"
    script.write_text(
        json.dumps(
            [
                {
                    "command": f"sleep {tag} & wait",
                    "description": "d",
                    "risk": "safe",
                    "expected_runtime": "long",
                    "confidence": "high",
                }
            ]
        )
    )
    env = {**os.environ, "INTENT_MOCK_SCRIPT": str(script)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "intent", "--backend", "mock", "--yes", "wait"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # a suite started as a background job ignores SIGINT, and `i` would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 20
    while not _sleepers(tag) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _sleepers(tag), proc.stderr.read() if proc.poll() is not None else "sleep never started"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 130
    time.sleep(0.2)
    assert not _sleepers(tag)


@pytest.mark.skipif(not __import__("shutil").which("bwrap"), reason="bubblewrap not installed")
def test_sandbox_writes_only_the_working_directory(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    outside = tmp_path / "outside.txt"
    cmd = f"touch inside.txt; touch {outside}"
    run = settle(
        proposal(cmd, "mutates"), Mode(tty=True, sandbox=True), lambda p: Decision("run"), CTX, work
    )
    assert run.status == "executed"
    # the working directory is real; everything else is read-only or a throwaway tmpfs
    assert (work / "inside.txt").exists() and not outside.exists()
    ro = settle(
        proposal("touch again.txt", "mutates"),
        Mode(tty=True, read_only=True),
        lambda p: Decision("run"),
        CTX,
        work,
    )
    assert ro.exit_code != 0 and not (work / "again.txt").exists()


def test_captured_stdout_is_capped_and_the_command_still_finishes() -> None:
    outcome = process.run_user_command(
        ["sh", "-c", "head -c 6000000 /dev/zero; echo done >&2"], timeout=20, capture_stdout=True
    )
    assert outcome.exit_code == 0 and len(outcome.stdout or "") == process.STDOUT_CAP
    assert "done" in outcome.stderr_tail
