"""The schedule of the crontab line a command installs: its fields, and the request's words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import command_reply as cmd
from conftest import drive

from intent.backends.mock import MockBackend
from intent.turn import cronline, tools
from intent.turn.engine import Engine, Retrying


def add(line: str) -> str:
    return f"(crontab -l; echo '{line}') | crontab -"


@pytest.mark.parametrize(
    ("request_text", "line", "wrong"),
    [
        # seen in the benchmark: Mondays only
        ("add a cron job running r.sh at 9:30 on weekdays", "30 9 * * 1 r.sh", "weekdays"),
        ("run r.sh at 9:30 on weekdays", "30 9 * * 1-5 r.sh", ""),
        ("run r.sh at 9:30 every weekday", "30 9 * * mon-fri r.sh", ""),
        ("run r.sh on weekends at noon", "0 12 * * 1-5 r.sh", "weekend"),
        ("run r.sh on weekends at noon", "0 12 * * 6,0 r.sh", ""),
        ("schedule s.sh every 15 minutes", "15 * * * * s.sh", "every 15 minutes"),
        ("schedule s.sh every 15 minutes", "*/15 * * * * s.sh", ""),
        ("schedule s.sh every 2 hours", "0 */2 * * * s.sh", ""),
        ("schedule s.sh every 2 hours", "0 2 * * * s.sh", "every 2 hours"),
        # the line itself
        ("run b.sh daily at 3", "0 3 * * b.sh", "needs five time fields"),
        ("run b.sh daily at 3", "0 24 * * * b.sh", "`24` is not a valid hour"),
        ("run b.sh daily at 3", "60 3 * * * b.sh", "`60` is not a valid minute"),
        ("run b.sh in january", "0 3 1 jan * b.sh", ""),
        ("run b.sh at boot", "@reboot b.sh", ""),
    ],
)
def test_a_schedule_is_checked_against_its_fields_and_the_request(
    request_text: str, line: str, wrong: str
) -> None:
    found = cronline.problem(add(line), request_text)
    assert (found == "") if not wrong else wrong in found


def test_only_a_line_piped_into_crontab_is_read() -> None:
    assert cronline.installed_lines("echo '30 9 * * 1 r.sh'") == []
    assert cronline.installed_lines(add("30 9 * * 1 r.sh")) == ["30 9 * * 1 r.sh"]
    assert cronline.installed_lines('echo "0 3 * * * b.sh" | crontab -') == ["0 3 * * * b.sh"]
    assert cronline.problem("crontab -l", "on weekdays") == ""


@pytest.mark.parametrize(
    ("request_text", "line", "fixed"),
    [
        ("run r.sh at 9:30 on weekdays", "30 9 * * 1 r.sh", "30 9 * * 1-5 r.sh"),
        ("run r.sh at 9:30 on weekdays", "30 9 * * 0-4 r.sh", "30 9 * * 1-5 r.sh"),
        ("run r.sh at noon on weekends", "0 12 * * * r.sh", "0 12 * * 6,0 r.sh"),
        ("run s.sh every 15 minutes", "15 * * * * s.sh", "*/15 * * * * s.sh"),
        ("run s.sh every 3 hours", "0 3 * * * s.sh", "0 */3 * * * s.sh"),
        # nothing the request fixes, an invalid field, odd spacing: left to the checks
        ("run b.sh daily at 3", "0 3 * * * b.sh", "0 3 * * * b.sh"),
        ("run r.sh on weekdays", "0 24 * * 1 r.sh", "0 24 * * 1 r.sh"),
        ("run r.sh on weekdays", "0 9  * * 1 r.sh", "0 9  * * 1 r.sh"),
    ],
)
def test_a_field_the_request_fixes_is_set(request_text: str, line: str, fixed: str) -> None:
    assert cronline.repaired(add(line), request_text) == add(fixed)
    if fixed != line or not cronline.problem(add(line), request_text):
        assert cronline.problem(add(fixed), request_text) == ""


@pytest.fixture
def crontab_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crontab stand-in on PATH: every check comes after "is crontab installed", and this
    machine may have no cron."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "crontab").write_text("#!/bin/sh\n")
    (bin_dir / "crontab").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")


def test_the_engine_sets_the_weekdays_without_a_model_call(
    tmp_path: Path, crontab_here: None
) -> None:
    backend = MockBackend([cmd(add("30 9 * * 1 r.sh"))])
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)),
        "add a cron job running r.sh at 9:30 on weekdays",
        tmp_path,
    )
    assert proposal.reply["command"] == add("30 9 * * 1-5 r.sh")
    assert len(backend.calls) == 1 and not any(isinstance(e, Retrying) for e in events)
    assert proposal.warnings == []


def test_the_engine_retries_an_invalid_field(tmp_path: Path, crontab_here: None) -> None:
    backend = MockBackend([cmd(add("0 24 * * * b.sh")), cmd(add("0 0 * * * b.sh"))])
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)), "run b.sh every day at midnight", tmp_path
    )
    assert proposal.reply["command"] == add("0 0 * * * b.sh")
    assert any(isinstance(e, Retrying) for e in events)
    assert "`24` is not a valid hour field" in backend.calls[1][-1]["content"]


@pytest.mark.parametrize(
    ("request_text", "command", "fixed"),
    [
        # both named: one line each, already right; nothing is swapped (found by review)
        (
            "run a.sh at 9 on weekdays and at 11 on weekends",
            "(crontab -l; echo '0 9 * * 1-5 /a.sh'; echo '0 11 * * 6,0 /a.sh') | crontab -",
            None,
        ),
        # */45 fires at :00 and :45, */90 hourly: not what "every N" says, so not written
        ("run s.sh every 45 minutes", add("0 * * * * s.sh"), None),
        ("run s.sh every 90 minutes", add("0 * * * * s.sh"), None),
        # every N hours at minute 0, not every minute of those hours
        ("run s.sh every 2 hours", add("* 3 * * * s.sh"), add("0 */2 * * * s.sh")),
        # text outside the installed line is not touched, an echo after the pipe is not read
        (
            "run r.sh at 9:30 on weekdays",
            "(crontab -l | grep -v '30 9 * * 1 /r.sh'; echo '30 9 * * 1 /r.sh') | crontab -",
            "(crontab -l | grep -v '30 9 * * 1 /r.sh'; echo '30 9 * * 1-5 /r.sh') | crontab -",
        ),
        ("run b.sh daily at 3", add("0 3 * * * b.sh") + " && echo 'cron job added'", None),
    ],
)
def test_repairs_only_what_the_request_fixes(
    request_text: str, command: str, fixed: str | None
) -> None:
    assert cronline.repaired(command, request_text) == (fixed or command)
    assert cronline.problem(fixed or command, request_text) == ""


def test_odd_digits_are_invalid_not_a_crash() -> None:
    assert "not a valid minute" in cronline.problem(add("¹ * * * * /r.sh"), "run r.sh")
    assert cronline.repaired(add("¹ * * * * /r.sh"), "every 5 minutes") == add("¹ * * * * /r.sh")
