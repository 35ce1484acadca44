"""The CLI contract (docs/usage.md, docs/exit-codes.md, docs/json.md), on the scripted mock backend."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import command_reply

MOCK_DRY_JSON = ("--backend", "mock", "--dry", "--json")
ENVELOPE_KEYS = {
    "version",
    "status",
    "exit_code",
    "prompt",
    "cwd",
    "backend",
    "model",
    "response",
    "risk",
    "guard",
    "executed",
    "timings",
}


def test_json_dry_run_prints_one_object(run_i) -> None:
    r = run_i(*MOCK_DRY_JSON, "list files", script=[command_reply("ls -la")])
    assert r.code == 0, r.stderr
    obj = r.json()
    assert ENVELOPE_KEYS <= set(obj)
    assert obj["status"] == "proposed"
    assert obj["risk"] == "safe"
    assert obj["executed"] is False
    assert obj["version"] == 1
    assert obj["response"]["command"] == "ls -la"
    assert set(obj["guard"]) == {"hard_reject", "actions", "reasons"}
    assert set(obj["timings"]) >= {"startup_ms", "model_ms", "tool_steps"}


def test_hard_reject_exits_4(run_i) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--json",
        "clean my home",
        script=[command_reply("rm -rf ~", "destructive")],
    )
    assert r.code == 4
    obj = r.json()
    assert obj["status"] == "refused"
    assert obj["guard"]["hard_reject"] is True
    assert obj["executed"] is False


def test_mutates_with_yes_and_no_tty_exits_7_and_does_not_run(run_i, tmp_path: Path) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--yes",
        "make a file",
        script=[command_reply("touch made.txt", "mutates")],
    )
    assert r.code == 7
    assert not (tmp_path / "made.txt").exists()
    assert "not run" in r.stderr


def test_guard_raises_an_understated_risk(run_i, tmp_path: Path) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--yes",
        "--json",
        "make a file",
        script=[command_reply("touch made.txt", "safe")],
    )
    assert r.code == 7
    obj = r.json()
    assert obj["risk"] == "mutates"
    assert any("raised risk" in a for a in obj["guard"]["actions"])
    assert not (tmp_path / "made.txt").exists()


def test_safe_command_with_yes_runs_and_stdout_is_in_envelope(run_i) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--yes",
        "--json",
        "say hi",
        script=[command_reply("echo hello-from-i")],
    )
    assert r.code == 0, r.stderr
    obj = r.json()
    assert obj["status"] == "executed"
    assert obj["executed"] is True
    assert obj["stdout"] == "hello-from-i\n"


def test_exit_status_of_the_command_is_passed_through(run_i) -> None:
    r = run_i("--backend", "mock", "--yes", "fail", script=[command_reply("exit 42")])
    assert r.code == 42


def test_no_tty_without_yes_exits_7(run_i) -> None:
    r = run_i("--backend", "mock", "list", script=[command_reply("ls")])
    assert r.code == 7


def test_tool_call_then_command(run_i, tmp_path: Path) -> None:
    (tmp_path / "marker.txt").write_text("x")
    script = [
        {"tool_call": {"name": "list_dir", "arguments": {"path": "."}}},
        command_reply("cat marker.txt"),
    ]
    r = run_i(*MOCK_DRY_JSON, "-v", "show the marker", script=script)
    assert r.code == 0, r.stderr
    obj = r.json()
    assert obj["response"]["command"] == "cat marker.txt"
    assert obj["timings"]["tool_steps"] == 1
    assert "tool list_dir" in r.stderr and "marker.txt" in r.stderr


def test_nine_tool_calls_exhaust_the_budget(run_i) -> None:
    script = [{"tool_call": {"name": "cwd", "arguments": {}}}] * 9
    r = run_i("--backend", "mock", "--json", "loop", script=script)
    assert r.code == 4
    assert r.json()["status"] == "refused"


def test_two_invalid_replies_exit_5_with_one_line(run_i) -> None:
    r = run_i("--backend", "mock", "x", script=["not json", '{"command": 1}'])
    assert r.code == 5
    assert len(r.stderr.strip().splitlines()) == 1


def test_invalid_then_valid_succeeds(run_i) -> None:
    r = run_i(*MOCK_DRY_JSON, "x", script=["oops", command_reply("ls")])
    assert r.code == 0
    assert r.json()["response"]["command"] == "ls"


def test_github_token_is_redacted_in_audit_and_json(run_i, intent_home: Path) -> None:
    token = "ghp_" + "A1b2C3d4E5" * 3 + "abcdef"
    r = run_i(
        *MOCK_DRY_JSON,
        f"push using {token}",
        script=[command_reply("git push")],
    )
    assert r.code == 0
    assert token not in r.stdout
    assert "[REDACTED]" in r.json()["prompt"]
    audit = (intent_home / "state" / "audit.jsonl").read_text()
    assert token not in audit and "[REDACTED]" in audit
    assert oct((intent_home / "state" / "audit.jsonl").stat().st_mode & 0o777) == "0o600"


def test_raw_prints_only_the_command(run_i) -> None:
    r = run_i("--backend", "mock", "--raw", "list", script=[command_reply("ls -la")])
    assert r.code == 0
    assert r.stdout == "ls -la\n"


def test_inform_prints_answer_on_stdout(run_i) -> None:
    r = run_i("--backend", "mock", "what is 2+2", script=[{"stdout_to_user": "4"}])
    assert r.code == 0
    assert r.stdout == "4\n"


def test_clarify_exits_8(run_i) -> None:
    r = run_i("--backend", "mock", "--json", "do it", script=[{"clarifying_question": "Do what?"}])
    assert r.code == 8
    assert r.json()["status"] == "clarify"


def test_model_refusal_exits_4(run_i) -> None:
    r = run_i("--backend", "mock", "hack", script=[{"refusal_reason": "harmful"}])
    assert r.code == 4
    assert "harmful" in r.stderr


def test_flags_only_before_the_prompt(run_i) -> None:
    # `i sort -n file.txt` is the prompt "sort -n file.txt", not an unknown flag -n.
    r = run_i(
        *MOCK_DRY_JSON,
        "sort",
        "-n",
        "file.txt",
        script=[command_reply("sort -n file.txt")],
    )
    assert r.code == 0, r.stderr
    assert r.json()["prompt"] == "sort -n file.txt"


def test_double_dash_forces_a_prompt(run_i) -> None:
    r = run_i(
        *MOCK_DRY_JSON,
        "--",
        "doctor",
        "my",
        "disk",
        script=[command_reply("df -h")],
    )
    assert r.code == 0, r.stderr
    assert r.json()["prompt"] == "doctor my disk"


def test_quoted_subcommand_word_is_a_prompt(run_i) -> None:
    r = run_i(
        *MOCK_DRY_JSON,
        "explain how tar works",
        script=[{"stdout_to_user": "tar archives"}],
    )
    assert r.code == 0
    assert r.json()["status"] == "inform"


def test_bad_flag_is_usage_error(run_i) -> None:
    r = run_i("--no-such-flag", "x")
    assert r.code == 2


def test_unknown_backend_is_usage_error(run_i) -> None:
    r = run_i("--backend", "nope", "--json", "x")
    assert r.code == 2
    assert r.json()["status"] == "error"


def test_bad_context_is_usage_error(run_i) -> None:
    r = run_i("--backend", "mock", "--context", "novalue", "x", script=[command_reply("ls")])
    assert r.code == 2


def test_piped_stdin_is_context_and_fed_to_the_command(run_i) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--yes",
        "--json",
        "count lines",
        script=[command_reply("wc -l")],
        stdin="a\nb\nc\n",
    )
    assert r.code == 0, r.stderr
    assert r.json()["stdout"].strip() == "3"


def test_auto_without_runtime_is_simulated_and_exits_3(run_i) -> None:
    r = run_i("--json", "list files", env={"PATH": "/usr/bin:/bin"})
    assert r.code == 3
    obj = r.json()
    assert obj["backend"] == "mock"
    assert "i init" in obj["error"]
    assert obj["executed"] is False


def test_mock_script_running_out_is_an_error(run_i) -> None:
    r = run_i("--backend", "mock", "x", script=[])
    assert r.code == 3
    assert "ran out" in r.stderr


def test_sandbox_missing_exits_6(run_i, tmp_path: Path) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--sandbox",
        "--yes",
        "x",
        script=[command_reply("ls")],
        env={"PATH": str(tmp_path / "empty-bin") + ":/nonexistent"},
    )
    assert r.code == 6


def test_version_and_help_import_nothing_heavy() -> None:
    code = (
        "import sys, runpy; sys.argv=['i', '{arg}']\n"
        "try:\n    runpy.run_module('intent', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('httpx','jsonschema','huggingface_hub') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))"
    )
    for arg in ("--version", "--help"):
        proc = subprocess.run(
            [sys.executable, "-c", code.format(arg=arg)], capture_output=True, text=True
        )
        assert "HEAVY=" in proc.stderr
        assert proc.stderr.split("HEAVY=")[1].strip() == "", f"{arg} imported {proc.stderr}"
        assert proc.stdout.strip()


def test_exit_code_table_is_documented() -> None:
    from intent import errors

    doc = (Path(__file__).parents[2] / "docs" / "exit-codes.md").read_text()
    for cls in (
        errors.UsageError,
        errors.BackendUnavailable,
        errors.Refused,
        errors.InvalidReply,
        errors.SandboxUnavailable,
        errors.ConfirmationNeeded,
        errors.Cancelled,
        errors.Interrupted,
    ):
        assert f"| {cls.exit_code} |" in doc
    assert {
        c.exit_code
        for c in (
            errors.IntentError,
            errors.UsageError,
            errors.BackendUnavailable,
            errors.Refused,
            errors.InvalidReply,
            errors.SandboxUnavailable,
            errors.ConfirmationNeeded,
            errors.Cancelled,
            errors.Interrupted,
        )
    } == {1, 2, 3, 4, 5, 6, 7, 8, 130}


def test_history_lists_turns(run_i) -> None:
    run_i("--backend", "mock", "--dry", "list", script=[command_reply("ls")])
    r = run_i("history", "list", "--json")
    assert r.code == 0
    records = json.loads(r.stdout)
    assert records[-1]["prompt"] == "list" and records[-1]["decision"] == "dry"


def test_fix_reasks_with_the_failed_command(run_i) -> None:
    run_i("--backend", "mock", "--yes", "do", script=[command_reply("ls /definitely-missing")])
    r = run_i(
        "fix", "--dry", "--json", env={"INTENT_BACKEND": "mock"}, script=[command_reply("ls /")]
    )
    assert r.code == 0, r.stderr
    obj = r.json()
    assert "ls /definitely-missing" in obj["prompt"] and "No such file" in obj["prompt"]


def test_explain_flag_shows_the_breakdown_and_does_not_run(run_i, tmp_path: Path) -> None:
    r = run_i(
        "--backend",
        "mock",
        "--explain",
        "make it",
        script=[command_reply("touch new.txt", "mutates")],
    )
    assert r.code == 0
    assert "touch new.txt" in r.stdout and "risk: mutates" in r.stdout
    assert not (tmp_path / "new.txt").exists()
