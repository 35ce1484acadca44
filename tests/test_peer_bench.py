"""The shell_gpt comparison (bench/peer.py) scores what it should: the first utility of a command
as NL2Bash counts it, the command in a printed answer, and a sample fit to score against."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import peer  # noqa: E402
from bench.nl2bash_sample import SAMPLE  # noqa: E402


@pytest.mark.parametrize(
    ("command", "utility"),
    [
        ("find /var/log -name '*.log' -delete", "find"),
        ("sudo du -sh .", "du"),
        ("sudo -u www-data find /var/www -type f", "find"),
        ("LC_ALL=C sort -u names.txt", "sort"),
        ("/usr/bin/find . -empty", "find"),
        ("cat app.log | grep -c ERROR", "cat"),  # a pipeline counts by its first stage
        ("(cd build && make)", "cd"),
        ("echo 'unbalanced", "echo"),
        ("", ""),
    ],
)
def test_first_utility(command: str, utility: str) -> None:
    assert peer.first_utility(command) == utility


def test_the_command_in_a_printed_answer() -> None:
    assert peer.command_text("```bash\nfind . -name '*.py'\n```\n") == "find . -name '*.py'"
    assert peer.command_text("\n$ ls -la\n") == "ls -la"
    assert peer.command_text("`du -sh .`") == "du -sh ."


def test_a_pty_transcript_as_text() -> None:
    screen = "\r⠋ asking the model…\x1b[K\r\x1b[K\x1b[32m[safe]\x1b[0m \x1b[1mdu -sh .\x1b[0m\r\n"
    assert peer.plain(screen) == "\n[safe] du -sh .\n"
    assert peer.RISK_LINE.match("[safe] du -sh .")


def test_the_sample_is_fit_to_score() -> None:
    assert len(SAMPLE) == 50
    assert len({item.request for item in SAMPLE}) == len(SAMPLE)
    for item in SAMPLE:
        assert item.expected and all(u == u.strip().lower() and " " not in u for u in item.expected)
    # NL2Bash's mix: find the most common utility, and at least 25 utilities in all
    firsts = [item.expected[0] for item in SAMPLE]
    assert max(set(firsts), key=firsts.count) == "find"
    assert len(set(firsts)) >= 25
