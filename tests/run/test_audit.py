"""The audit log: written before a command runs (no record, no run), whole lines only,
text made encodable (surrogates and undecodable argv bytes escaped visibly, never dropped)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import command_reply

from intent.errors import AuditFailed
from intent.run import audit

# The command prints the audit log as it is while the command runs: the record must be there.
SHOW_LOG = 'cat "$INTENT_HOME/state/audit.jsonl"'


def _lines(root: Path) -> list[dict]:
    text = (root / "state" / "audit.jsonl").read_text()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_surrogate_in_description_is_recorded_before_the_command_runs(
    run_i, intent_home: Path
) -> None:
    reply = command_reply(SHOW_LOG, description="lists \ud800 things")
    # a raw string keeps the lone surrogate escape exactly as a model would send it
    raw = json.dumps(reply).replace("\\\\ud800", "\\ud800")
    assert "\\ud800" in raw
    r = run_i("--backend", "mock", "--yes", "--json", "show the log", script=[raw])
    assert r.code == 0, r.stderr
    envelope = r.json()
    seen_while_running = [json.loads(x) for x in envelope["stdout"].splitlines()]
    assert len(seen_while_running) == 1
    started = seen_while_running[0]
    assert started["outcome"] == "started" and started["executed_command"] == SHOW_LOG
    assert started["response"]["description"] == "lists \\ud800 things"  # visible, not dropped
    turns = audit.read(intent_home / "state" / "audit.jsonl")
    assert len(turns) == 1 and turns[0]["exit_code"] == 0 and turns[0]["outcome"] == "finished"
    assert envelope["response"]["description"] == "lists \\ud800 things"


def test_invalid_utf8_in_argv_is_recorded_before_the_command_runs(
    tmp_path: Path, intent_home: Path
) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([command_reply(SHOW_LOG)]))
    proc = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"intent",
            b"--backend",
            b"mock",
            b"--yes",
            b"--json",
            b"show \xff\xfe log",
        ],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "INTENT_MOCK_SCRIPT": str(script)},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    envelope = json.loads(proc.stdout)
    started = json.loads(envelope["stdout"].splitlines()[0])
    assert started["prompt"] == "show \\xff\\xfe log"
    assert started["outcome"] == "started"
    assert [t["prompt"] for t in audit.read(intent_home / "state" / "audit.jsonl")] == [
        "show \\xff\\xfe log"
    ]


def test_unwritable_audit_log_means_nothing_runs(run_i, intent_home: Path) -> None:
    # a file where the state directory should be: unwritable even for root
    intent_home.mkdir(parents=True)
    (intent_home / "state").write_text("not a directory")
    r = run_i("--backend", "mock", "--yes", "-q", "say", script=[command_reply("echo RAN-IT")])
    assert r.code == 3
    assert "RAN-IT" not in r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "could not write the audit log" in lines[0] and "nothing was run" in lines[0]
    assert "writable" in lines[0]


def test_full_disk_leaves_no_half_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "state" / "audit.jsonl"
    audit.append(log, {"id": "a", "prompt": "first"})
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(AuditFailed, match="No space left"):
        audit.append(log, {"id": "b", "prompt": "second"})
    monkeypatch.setattr(os, "write", real_write)
    audit.append(log, {"id": "c", "prompt": "third"})
    assert [r["prompt"] for r in _lines(tmp_path)] == ["first", "third"]


def test_log_is_0600_in_a_0700_directory(tmp_path: Path) -> None:
    log = tmp_path / "state" / "audit.jsonl"
    audit.append(log, {"id": "a"})
    assert log.stat().st_mode & 0o777 == 0o600
    assert log.parent.stat().st_mode & 0o777 == 0o700


def test_outcome_line_merges_into_its_turn(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    audit.append(log, {"id": "t1", "prompt": "p", "outcome": "started"})
    audit.append(log, {"id": "t1", "prompt": "p", "outcome": "finished", "exit_code": 2})
    assert audit.read(log) == [{"id": "t1", "prompt": "p", "outcome": "finished", "exit_code": 2}]
    assert audit.last_failed(log) is None  # nothing executed in this record


def test_surrogate_in_the_command_itself_is_refused_not_a_crash(run_i, intent_home: Path) -> None:
    raw = json.dumps(command_reply("echo \ud800")).replace("\\\\ud800", "\\ud800")
    r = run_i("--backend", "mock", "--yes", "--json", "say", script=[raw])
    assert r.code == 4 and "cannot be encoded" in r.json()["error"]
    assert audit.read(intent_home / "state" / "audit.jsonl")[0]["exit_code"] == 4
    raw_out = run_i("--backend", "mock", "--raw", "say", script=[raw])
    assert raw_out.code == 0 and raw_out.stdout == "echo \\ud800\n"


def test_a_nul_in_the_command_is_refused_not_a_crash(run_i) -> None:
    # found by review: a NUL passed the schema, then the spawn raised ValueError
    r = run_i(
        "--backend",
        "mock",
        "--yes",
        "--json",
        "say",
        script=[json.dumps(command_reply("echo a\0b"))],
    )
    assert r.code == 4 and "NUL" in r.json()["error"]


def test_a_line_separator_inside_a_command_does_not_lose_its_record(tmp_path: Path) -> None:
    """Records are written with ensure_ascii=False: a U+2028 or NEL in a command is written
    raw, and a reader that split on every line end lost the record (from `i history`, `i fix`)."""
    from intent.run import audit

    log = tmp_path / "audit.jsonl"
    audit.append(log, {"id": "t1", "executed_command": "ls", "exit_code": 0})
    for n, odd in enumerate(("\u2028", "\x85", "\u2029"), 2):
        command = f"echo a{odd}b"
        audit.append(log, {"id": f"t{n}", "executed_command": command, "exit_code": 1})
    assert [r["id"] for r in audit.read(log)] == ["t1", "t2", "t3", "t4"]
    assert audit.last_failed(log)["executed_command"] == "echo a\u2029b"
