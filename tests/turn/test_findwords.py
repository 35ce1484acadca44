"""What a request's words fix in a find command without asking (intent/turn/findwords.py)."""

from __future__ import annotations

import pytest

from intent.turn import findwords, implied


@pytest.mark.parametrize(
    ("request_text", "command", "fixed"),
    [
        (
            "what changed in reports in the last hour",
            "find reports -mtime -1 -exec ls -lh {} +",
            "find reports -mmin -60 -exec ls -lh {} +",
        ),
        ("files modified in the last 2 hours", "find . -mtime -2", "find . -type f -mmin -120"),
        ("logs older than 3 hours", "find logs -mtime +3 -delete", "find logs -mmin +180 -delete"),
        ("files changed more than 2 hours ago", "find . -mtime 2", "find . -type f -mmin +120"),
        ("find files that everyone can write to", "find . -perm -o+w", "find . -type f -perm -o+w"),
        (
            "list the txt files only here",
            "find . -maxdepth 1 -name '*.txt'",
            "find . -maxdepth 1 -type f -name '*.txt'",  # after the depth option, as find wants
        ),
        (
            "delete files in old that are older than 7 days",
            "find old -mtime +7 -exec rm {} \\;",
            "find old -type f -mtime +7 -exec rm {} \\;",
        ),
    ],
)
def test_hours_become_minutes_and_files_become_type_f(
    request_text: str, command: str, fixed: str
) -> None:
    assert findwords.repaired(command, request_text) == fixed


@pytest.mark.parametrize(
    ("request_text", "command"),
    [
        ("find empty directories", "find . -type d -empty"),  # a -type is there already
        ("find files or folders named tmp", "find . -name tmp"),  # folders asked too
        ("files named a or b", "find . -name a -o -name b"),  # -type f would bind to a only
        ("files changed in the last 2 days", "find . -type f -mtime -2"),  # days are days
        ("list the files here", "ls -p | grep -v /"),  # no find
        ("files changed in the last hour", "find . -mtime -1 -o -mmin -60"),  # two tests: unsure
        ("what changed in the last hour", "find . -mtime -1 | find . -mtime -2"),  # two finds
        # from the review: a negation, an option before the paths, a quoted path, a folder name
        ("remove all files except the .bak files", 'find . \\! -name "*.bak" -exec rm -rf {} +'),
        ("remove all files except the .bak files", 'find . ! -name "*.bak" -delete'),
        ("remove all files except the .txt files", "find . -not -name '*.txt' -delete"),
        ("find python files, following links", 'find -L . -name "*.py"'),
        ("find jpg files in Photos (2019)", 'find "Photos (2019)" -name "*.jpg"'),
        ("remove all __pycache__ files", "find . -name __pycache__ -exec rm -rf {} +"),
        # minutes that are not an age, a fraction, days named too
        ("logs from the last day saying took 5 minutes", "find . -type f -mtime -1"),
        ("files from the last 1.5 hours", "find . -type f -mtime -1"),
        ("mp3 files over 5 minutes long changed in the last 2 days", "find . -type f -mtime -2"),
    ],
)
def test_what_the_words_do_not_fix_stays(request_text: str, command: str) -> None:
    assert findwords.repaired(command, request_text) == command


def test_a_folder_the_request_names_must_be_in_the_command() -> None:
    request = "delete files in old that are older than 7 days"
    said = implied.folder_left_out("find . -mtime +7 -delete", request, ["old"])
    assert "folder old" in said and "find old" in said
    for command in ("find old -mtime +7 -delete", "cd old && find . -delete", "rm old/*.tmp"):
        assert implied.folder_left_out(command, request, ["old"]) == ""
    assert implied.folder_left_out("find older -delete", request, ["old"])  # another name
    assert implied.folder_left_out("find . -delete", request, []) == ""  # no such folder here


def test_a_file_the_request_names_must_be_in_the_command() -> None:
    named = ["src/main.py"]
    said = implied.file_left_out("git checkout main", named)
    assert "file src/main.py" in said
    for command in (
        "git checkout -- src/main.py",
        "find . -name main.py -delete",  # its own name, found
        "cd src && wc -l main.py",
        "wc -l src/*.py",  # a glob may reach it
    ):
        assert implied.file_left_out(command, named) == ""
    assert implied.file_left_out("wc -l main.py", named)  # not here: src/main.py is
    assert implied.file_left_out("wc -l src/main.pyc", named)
    assert implied.file_left_out("git status", []) == ""
    # programs that read their own file, and git's commands over the whole tree
    assert implied.file_left_out("npm install", ["package.json"]) == ""
    assert implied.file_left_out("docker compose up -d", ["docker-compose.yml"]) == ""
    assert implied.file_left_out("git push", ["server.py"]) == ""


@pytest.mark.parametrize(
    ("request_text", "changes"),
    [
        ("set debug to true in config.json", True),
        ("bump the version in package.json to 2.0.0", True),
        ("comment out the debug lines in settings.ini", True),
        ("show the port in server.conf", False),
        ("print config.json with debug set to true, without changing it", False),
        ("make a copy of notes.txt with the typos replaced", False),  # a new file changes
        ("save a new copy of report.csv with the header removed", False),
    ],
)
def test_which_requests_ask_for_a_change(request_text: str, changes: bool) -> None:
    assert implied.asks_change(request_text) is changes


@pytest.mark.parametrize(
    ("request_text", "alters", "kinds"),
    [
        ("rename every .txt file to .md", True, ["txt", "md"]),
        ("move the jpg files into photos", True, ["jpg"]),
        ("compress the logs folder", True, []),
        ("show the .log files", False, ["log"]),
        ("how many csv files are there", False, ["csv"]),
        ("delete all temp files", True, []),
    ],
)
def test_what_a_request_asks_done_to_which_kind_of_file(
    request_text: str, alters: bool, kinds: list[str]
) -> None:
    assert implied.asks_to_alter(request_text) is alters
    assert implied.kinds_named(request_text) == kinds
