"""The answer-quality benchmark (bench/quality.py) keeps working: its checkers tell a right
command from a wrong one, and a small run against a real model produces a scored table."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import quality  # noqa: E402
from bench.tasks import all_tasks, sandbox  # noqa: E402

SAMPLE = ("find-py", "sed-replace", "cron-daily", "ssh-port", "git-commit", "chmod-chown-r")


def test_there_are_enough_tasks_across_the_utilities() -> None:
    tasks = all_tasks()
    assert len(tasks) >= 120
    assert len({t.group for t in tasks}) >= 20


def test_the_sealed_set_is_apart_from_the_main_tasks() -> None:
    # only its shape: the requests are not for the eyes of whoever tunes `i`
    sealed = quality.task_set("sealed")
    ids = [t.id for t in sealed]
    assert len(ids) >= 64 and len(set(ids)) == len(ids)
    assert all(t.id.startswith("s-") and t.group.startswith("s-") for t in sealed)
    assert not set(ids) & {t.id for t in all_tasks()}
    assert quality.task_set("main") == all_tasks()


def test_each_reference_passes_its_own_check_and_doing_nothing_fails(tmp_path: Path) -> None:
    tasks = [t for t in all_tasks() if t.id in SAMPLE]
    assert len(tasks) == len(SAMPLE)
    assert quality.selftest(tasks, tmp_path) == 0


def test_a_wrong_command_fails_and_an_equivalent_one_passes(tmp_path: Path) -> None:
    task = next(t for t in all_tasks() if t.id == "cron-daily")
    shown = tmp_path / "shown"
    sandbox.build(task, shown)
    ref = sandbox.run(task, task.reference, shown, tmp_path / "ref")

    def verdict(command: str) -> bool:
        return sandbox.compare(
            task, ref, sandbox.run(task, command, shown, tmp_path / "got"), str(shown)
        )[0]

    assert verdict("crontab -l > c; echo '0 3 * * *   /usr/local/bin/backup.sh' >> c; crontab c")
    assert not verdict("crontab -e")  # the request gave the schedule
    assert not verdict("echo '0 3 * * * /usr/local/bin/backup.sh' | crontab -")  # drops a job


@pytest.mark.skipif(not sandbox.BWRAP, reason="needs bwrap to confine the command")
def test_the_sandbox_keeps_a_command_inside_the_fixture(tmp_path: Path) -> None:
    task = next(t for t in all_tasks() if t.id == "cp-rm-build")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    run = sandbox.run(
        task, f"rm -f {outside}; touch /etc/intent-bench", tmp_path / "s", tmp_path / "g"
    )
    assert outside.read_text() == "keep" and not Path("/etc/intent-bench").exists()
    assert run.code != 0


@pytest.mark.parametrize(
    ("reply", "command"),
    [
        ("```bash\nls -la\n```", "ls -la"),
        ("$ du -sh .", "du -sh ."),
        ("Here you go:\n```\nfind . -name '*.py'\n```\nThis finds files.", "find . -name '*.py'"),
        ("", ""),
    ],
)
def test_the_command_is_taken_from_a_plain_reply(reply: str, command: str) -> None:
    assert quality.command_of_reply(reply) == command


def test_a_partial_results_file_gives_a_table_of_the_tasks_both_sides_answered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        quality.Answer("a", "i", "command", "ls", 1000, parses=True, correct=True),
        quality.Answer("a", "baseline", "command", "ls -x", 500, parses=True),
        quality.Answer("b", "i", "clarify", "which?", 2000),
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r.__dict__) for r in rows))
    assert quality.main(["--report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| i | 1/1 | 1/1 | 0 (0.0 %) | 0 | 1.0 s |" in out
    assert "| baseline | 0/1 |" in out


@pytest.mark.real
def test_a_small_run_with_a_real_model_scores_both_sides(
    real_parts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INTENT_LLAMA_SERVER", str(real_parts.server))
    monkeypatch.setenv("PATH", os.environ["PATH"])  # the runner prepends the stubs
    out = tmp_path / "results.json"
    code = quality.main(
        [
            "--model",
            str(real_parts.model),
            "--limit",
            "10",
            "--chunk",
            "10",
            "--json",
            str(out),
            "-q",
        ]
    )
    assert code == 0
    result = json.loads(out.read_text())
    assert [r["tasks"] for r in result["summary"]] == [10, 10]
    answers = result["answers"]
    assert len(answers) == 20 and {a["who"] for a in answers} == {"i", "baseline"}
    for a in answers:
        assert a["kind"] in ("command", "script", "inform", "clarify", "refuse", "error")
        if a["kind"] in ("command", "script") and not a["correct"]:
            assert a["why"], "an incorrect command says why"
    assert "| i |" in capsys.readouterr().out
