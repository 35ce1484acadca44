"""The per-request example bank: every example is a command a user could run as shown, rated as
the guard rates it, and the examples picked for a request are the ones about the same job."""

from __future__ import annotations

import subprocess

import pytest

from intent import safety
from intent.turn import examples, prompt


@pytest.mark.parametrize("ex", examples.BANK, ids=lambda e: e.command[:40])
def test_each_example_is_a_command_that_runs_as_written(ex: examples.Example) -> None:
    """bash accepts it, the guard parses it, and every utility it names is a known one (the
    examples teach commands, so none may be a typo the guard cannot rate)."""
    assert subprocess.run(["bash", "-n", "-c", ex.command]).returncode == 0
    verdict = safety.assess(ex.command)
    assert not any("unknown" in r or "refused" in r for r in verdict.reasons), verdict.reasons
    assert ex.render().split(": ", 1)[1] == ex.command  # unescaped, as a fenced reply writes it


@pytest.mark.parametrize(
    ("request_text", "first"),
    [
        ("kill all processes named sleep", "pkill -x node"),
        ("create a hard link to notes.txt called notes-hard.txt", "ln data.db backup.db"),
        (
            "add a cron job that runs /usr/local/bin/backup.sh every day at 3am",
            "(crontab -l; echo '30 6 * * 1 /opt/clean.sh') | crontab -",
        ),
        ("copy notes.txt into the backup folder", "cp report.pdf archive/"),
        ("show the last 3 commits, one line each", "git log --oneline -5"),
        ("count the words in docs/readme.md", "wc -w < essay.txt"),
    ],
)
def test_pick_finds_the_example_about_the_same_job(request_text: str, first: str) -> None:
    assert examples.pick(request_text)[0].command == first


def test_pick_returns_nothing_unrelated_and_respects_k() -> None:
    assert examples.pick("tell me a joke about penguins") == []
    assert examples.pick("what is my ip address")[0].command == "ip -brief address"
    assert examples.pick("find large files", k=0) == []
    assert len(examples.pick("find files changed in the last week", k=2)) == 2


def test_examples_go_after_the_context_and_before_the_request(monkeypatch) -> None:
    ctx = prompt.RequestContext(
        cwd="/home/ana/site", os_name="Linux", distro="", shell="bash", git="x", binaries=("ls",)
    )
    # as shipped since issue 25: no examples per request
    assert "Similar requests" not in prompt.user_message("kill all processes named sleep", ctx)
    monkeypatch.setattr(prompt, "EXAMPLES_PER_REQUEST", 3)  # `--variant bank3`
    text = prompt.user_message("kill all processes named sleep", ctx)
    assert text.index("Context:") < text.index("Similar requests:") < text.index(": pkill -x node")
    assert text.rstrip().endswith("Request: kill all processes named sleep")
