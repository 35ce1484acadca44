"""The audit record and the --json envelope are two views of one Turn (intent/app/turn.py):
what they share must agree, and each shows only the steps the turn reached."""

from __future__ import annotations

from intent.app.turn import Failure, Timings, Turn
from intent.errors import BackendUnavailable, Cancelled, IntentError, Refused
from intent.process import CommandOutcome


def _ran() -> Turn:
    turn = Turn("list files", "/w")
    turn.backend, turn.backend_source, turn.model = "mock", "flag", "m"
    turn.proposed, turn.cached = True, False
    turn.response, turn.risk = {"command": "ls", "risk": "safe"}, "safe"
    turn.guard = {"hard_reject": False, "actions": [], "reasons": []}
    turn.timings = Timings(12.4, 99.6, 1)
    turn.decision, turn.executed_command, turn.command_known = "confirmed", "ls", True
    started = turn.started_record()
    assert started["outcome"] == "started" and "exit_code" not in started
    turn.settled, turn.status, turn.exit_code = True, "executed", 0
    turn.outcome = CommandOutcome(0, "a\nb\n", "", False, False, 0.01234)
    turn.total_s = 0.5
    return turn


def test_record_and_envelope_agree_on_every_shared_field() -> None:
    turn = _ran()
    rec, env = turn.record(), turn.envelope()
    for key in ("prompt", "cwd", "model", "response", "guard", "cached", "exit_code"):
        assert rec[key] == env[key], key
    assert rec["backend"] == "mock (flag)" and env["backend"] == "mock"
    assert rec["outcome"] == "finished" and rec["duration_s"] == 0.012
    assert env["timings"] == {"startup_ms": 12, "model_ms": 100, "tool_steps": 1}
    assert env["executed"] is True and env["stdout"] == "a\nb\n"
    assert env["status"] == "executed" and "error" not in env


def test_a_turn_cut_short_shows_only_what_it_reached() -> None:
    turn = Turn("x", "/w")
    turn.fail(IntentError("no backend"))
    rec, env = turn.record(), turn.envelope()
    assert set(rec) == {"id", "time", "version", "prompt", "cwd", "decision", "exit_code", "error"}
    assert env["response"] is None and env["executed"] is False and "cached" not in env
    assert env["timings"] == {"startup_ms": None, "model_ms": None, "tool_steps": 0}
    assert env["error"] == "no backend" and env["status"] == "error" and env["exit_code"] == 1


def test_errors_map_to_status_decision_and_code_once() -> None:
    assert Failure.of(Refused("no")).status == "refused"
    assert Failure.of(Cancelled("stop")).decision == "cancelled"
    unavailable = Failure.of(BackendUnavailable("down", hint="Run `i doctor`."))
    assert (unavailable.status, unavailable.exit_code) == ("error", 3)
    assert unavailable.line == "down Run `i doctor`." and unavailable.message == "down"


def test_secrets_in_the_envelope_are_redacted() -> None:
    turn = Turn("use key sk-abcdefghijklmnopqrstuvwxyz012345", "/w")
    turn.fail(IntentError("x"))
    assert "sk-abcdefghijklmnopqrstuvwxyz012345" not in str(turn.envelope())
