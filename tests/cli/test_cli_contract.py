"""The CLI contract (docs/usage.md, docs/exit-codes.md, docs/json.md), on the scripted mock backend."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
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


MOCK = ("--backend", "mock")
MADE = command_reply("touch made.txt", "mutates")


def _at(obj: object, dotted: str) -> object:
    for key in dotted.split("."):
        assert isinstance(obj, dict), (dotted, obj)
        obj = obj[key]
    return obj


# each way a turn can end short of success, and the exit code that says which (docs/exit-codes.md):
# (argv, the mock's replies, environment, exit code, envelope fields (a pattern is searched for
# in the field's JSON), a pattern stderr must hold)
ENDINGS = [
    pytest.param(
        (*MOCK, "--json", "clean my home"),
        [command_reply("rm -rf ~", "destructive")],
        None,
        4,
        {"status": "refused", "guard.hard_reject": True, "executed": False},
        None,
        id="hard-reject",
    ),
    pytest.param(
        (*MOCK, "--yes", "make a file"), [MADE], None, 7, {}, "not run", id="mutates-with-yes"
    ),
    pytest.param(
        (*MOCK, "--yes", "--json", "make a file"),
        [command_reply("touch made.txt", "safe")],
        None,
        7,
        {"risk": "mutates", "guard.actions": re.compile("raised risk")},
        None,
        id="guard-raises-an-understated-risk",
    ),
    pytest.param(
        (*MOCK, "--yes", "fail"),
        [command_reply("exit 42")],
        None,
        42,
        {},
        None,
        id="passed-through",
    ),
    pytest.param((*MOCK, "list"), [command_reply("ls")], None, 7, {}, None, id="no-tty-no-yes"),
    pytest.param(
        (*MOCK, "--json", "loop"),
        [{"tool_call": {"name": "cwd", "arguments": {}}}] * 9,
        None,
        4,
        {"status": "refused"},
        None,
        id="nine-tool-calls-exhaust-the-budget",
    ),
    pytest.param(
        (*MOCK, "x"),
        ["not json", '{"command": 1}'],
        None,
        5,
        {},
        r"\A[^\n]+\n?\Z",  # one line
        id="two-invalid-replies",
    ),
    pytest.param(
        (*MOCK, "--json", "do it"),
        [{"clarifying_question": "Do what?"}],
        None,
        8,
        {"status": "clarify"},
        None,
        id="clarify",
    ),
    pytest.param(
        (*MOCK, "hack"), [{"refusal_reason": "harmful"}], None, 4, {}, "harmful", id="refusal"
    ),
    pytest.param(("--no-such-flag", "x"), None, None, 2, {}, None, id="bad-flag"),
    pytest.param(
        ("--backend", "nope", "--json", "x"),
        None,
        None,
        2,
        {"status": "error"},
        None,
        id="unknown-backend",
    ),
    pytest.param(
        (*MOCK, "--context", "novalue", "x"),
        [command_reply("ls")],
        None,
        2,
        {},
        None,
        id="bad-context",
    ),
    pytest.param(
        ("--json", "list files"),
        None,
        {"PATH": "/usr/bin:/bin"},
        3,
        {"backend": "mock", "error": re.compile("i init"), "executed": False},
        None,
        id="auto-without-runtime",
    ),
    pytest.param((*MOCK, "x"), [], None, 3, {}, "ran out", id="mock-script-runs-out"),
    pytest.param(
        (*MOCK, "--sandbox", "--yes", "x"),
        [command_reply("ls")],
        {"PATH": "{tmp}/empty-bin:/nonexistent"},
        6,
        {},
        None,
        id="no-sandbox",
    ),
]


@pytest.mark.parametrize(("argv", "script", "env", "code", "envelope", "stderr"), ENDINGS)
def test_each_ending_has_its_exit_code(
    run_i,
    tmp_path: Path,
    argv: tuple[str, ...],
    script: list | None,
    env: dict[str, str] | None,
    code: int,
    envelope: dict[str, object],
    stderr: str | None,
) -> None:
    env = {k: v.format(tmp=tmp_path) for k, v in env.items()} if env else None
    r = run_i(*argv, script=script, env=env)
    assert r.code == code, r.stderr
    obj = r.json() if envelope else {}
    for key, want in envelope.items():
        got = _at(obj, key)
        if isinstance(want, re.Pattern):
            assert want.search(json.dumps(got)), (key, got)
        else:
            assert got == want, (key, got)
    assert stderr is None or re.search(stderr, r.stderr), r.stderr
    assert not (tmp_path / "made.txt").exists()  # nothing that needed a yes ran


@pytest.mark.parametrize(
    ("words", "reply", "prompt", "status"),
    [
        # `i sort -n file.txt` is the prompt "sort -n file.txt", not an unknown flag -n
        (("sort", "-n", "file.txt"), command_reply("sort -n file.txt"), "sort -n file.txt", None),
        (("--", "doctor", "my", "disk"), command_reply("df -h"), "doctor my disk", None),  # forced
        # a subcommand's name inside one quoted word is a prompt, not `i explain`
        (("explain how tar works",), {"stdout_to_user": "tar archives"}, None, "inform"),
    ],
)
def test_flags_end_where_the_prompt_begins(
    run_i, words: tuple[str, ...], reply: dict, prompt: str | None, status: str | None
) -> None:
    r = run_i(*MOCK_DRY_JSON, *words, script=[reply])
    assert r.code == 0, r.stderr
    obj = r.json()
    assert prompt is None or obj["prompt"] == prompt
    assert status is None or obj["status"] == status


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


@pytest.mark.parametrize(
    ("argv", "reply", "stdout"),
    [
        (("--raw", "list"), command_reply("ls -la"), "ls -la\n"),  # only the command
        (("what is 2+2",), {"stdout_to_user": "4"}, "4\n"),  # the answer
    ],
)
def test_stdout_holds_only_the_answer(
    run_i, argv: tuple[str, ...], reply: dict, stdout: str
) -> None:
    r = run_i(*MOCK, *argv, script=[reply])
    assert r.code == 0
    assert r.stdout == stdout


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
    documented = (
        errors.UsageError,
        errors.BackendUnavailable,
        errors.Refused,
        errors.InvalidReply,
        errors.SandboxUnavailable,
        errors.ConfirmationNeeded,
        errors.Cancelled,
        errors.Interrupted,
    )
    for cls in documented:
        assert f"| {cls.exit_code} |" in doc
    codes = {c.exit_code for c in (errors.IntentError, *documented)}
    assert codes == {1, 2, 3, 4, 5, 6, 7, 8, 130}


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
