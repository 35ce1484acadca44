"""Checks that read the request as well as the answer: the shape of a find expression, a
request only to look answered with a change, and the first line of the data files it names."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from conftest import command_reply as cmd
from conftest import drive

from intent.backends.mock import MockBackend
from intent.guard import walk as safety
from intent.turn import copied, find_expr, peek, prompt, readonly, repair, tools, verify
from intent.turn.engine import Engine, Retrying

# -- find expressions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "stray"),
    [
        # a model's "empty files and empty directories", seen in the benchmark
        ("find . -type d -empty -o find . -type f -empty", "find"),
        ("find . -name '*.py' .", "."),
        ("find -L src -type f -name x src", "src"),
        ("find . \\( -name a -o -name b \\) -print extra", "extra"),
    ],
)
def test_a_word_where_find_expects_a_test_is_a_problem(command: str, stray: str) -> None:
    found = find_expr.problem(shlex.split(command))
    assert found.startswith(f"find has `{stray}` where it expects")
    assert [p.message for p in verify.problems(command, None)] == [found]


@pytest.mark.parametrize(
    "command",
    [
        "find . -empty",
        "find a b -maxdepth 1 -type f -name '*.txt'",
        "find -L /x -name a -o -name b",
        "find . \\( -name a -o -name b \\) -print",
        "find . -name x -exec rm {} \\; -print",
        "find . -name x -exec grep -l foo {} +",
        "find . -newermt 2024-01-01 -printf '%p\\n'",
        "find . -size +1M -fprintf out.txt '%p'",
        "find . -perm -o+w ! -type l",
        "find -D tree . -regextype posix-extended -regex '.*x'",
        # an option the table does not know may take the next word: not a problem here
        "find . -futurething value -name x",
    ],
)
def test_a_sound_find_expression_is_left_alone(command: str) -> None:
    assert find_expr.problem(shlex.split(command)) == ""


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "find . -type d -empty -o find . -type f -empty",
            "find . -type d -empty -o -type f -empty",
        ),
        ("find src -name a -or find src -name b -print", "find src -name a -or -name b -print"),
        # different starting points: two searches were meant, nothing to guess
        ("find a -empty -o find b -empty", "find a -empty -o find b -empty"),
        ("find . -empty", "find . -empty"),
    ],
)
def test_a_repeated_find_in_one_expression_is_dropped(command: str, fixed: str) -> None:
    assert repair.command(command) == fixed
    if fixed != command:
        assert verify.problems(fixed, None) == []


# -- a request only to look ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_text", "command", "flagged"),
    [
        (
            "print logs/app.log with ERROR replaced by ALERT",
            "sed -i 's/ERROR/ALERT/g' logs/app.log",
            True,
        ),
        ("show the files here", "ls > listing.txt", True),
        ("find the .tmp files", "find . -name '*.tmp' -delete", True),
        (
            "print logs/app.log with ERROR replaced by ALERT",
            "sed 's/ERROR/ALERT/g' logs/app.log",
            False,
        ),
        # the request asks for the change
        ("replace ERROR by ALERT in logs/app.log", "sed -i 's/ERROR/ALERT/g' logs/app.log", False),
        ("find the .tmp files and delete them", "find . -name '*.tmp' -delete", False),
        ("show the files, and save the list into listing.txt", "ls > listing.txt", False),
        ("count the lines in place", "sed -i 1d x", False),
    ],
)
def test_a_change_for_a_request_only_to_look_is_a_problem(
    request_text: str, command: str, flagged: bool
) -> None:
    found = readonly.unasked_change(cmd(command), request_text, safety.Context())
    assert bool(found) == flagged
    if flagged:
        assert "changes files" in found[0].message


def test_a_python_script_is_not_judged_by_the_shell_guard() -> None:
    reply = {
        "script": {"interpreter": "python3", "body": "open('x','w')"},
        "description": "d",
        "risk": "mutates",
    }
    assert readonly.unasked_change(reply, "show x", safety.Context()) == []


def test_the_engine_spends_its_retry_on_a_change_nobody_asked_for(tmp_path: Path) -> None:
    (tmp_path / "app.log").write_text("ERROR x\n")
    backend = MockBackend(
        [cmd("sed 's/ERROR/ALERT/g' app.log > app.log.new"), cmd("sed 's/ERROR/ALERT/g' app.log")]
    )
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)),
        "print app.log with ERROR replaced by ALERT",
        tmp_path,
    )
    assert proposal.reply["command"] == "sed 's/ERROR/ALERT/g' app.log"
    assert any(isinstance(e, Retrying) for e in events)
    assert "asks only to print something" in backend.calls[1][-1]["content"]


def test_a_retry_as_wrong_as_the_first_answer_and_riskier_is_not_taken(tmp_path: Path) -> None:
    # seen in the benchmark: the retry for a second `find` added a recursive delete
    first = "find a -empty -o find b -empty"
    backend = MockBackend([cmd(first), cmd("find a b -empty -exec rm -rf {} +")])
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)), "find the empty things in a and b", tmp_path
    )
    assert any(isinstance(e, Retrying) for e in events)
    assert proposal.reply["command"] == first
    assert proposal.risk == "safe"
    assert proposal.warnings and "where it expects" in proposal.warnings[0]


@pytest.mark.parametrize(
    ("request_text", "command", "fixed"),
    [
        (
            "print logs/app.log with ERROR replaced by ALERT",
            "sed -i 's/ERROR/ALERT/g' logs/app.log",
            "sed 's/ERROR/ALERT/g' logs/app.log",
        ),
        ("show a.txt without blank lines", "sed -i -e '/^$/d' a.txt", "sed -e '/^$/d' a.txt"),
        # asked for the edit: left alone
        ("replace ERROR by ALERT in app.log", "sed -i 's/ERROR/ALERT/' app.log", None),
        # a backup suffix, or more than sed: not this repair's to guess
        ("print app.log with x as y", "sed -i.bak 's/x/y/' app.log", None),
        ("print app.log with x as y", "sed -i 's/x/y/' app.log && rm app.log", None),
    ],
)
def test_sed_in_place_for_a_request_to_print_loses_its_i(
    request_text: str, command: str, fixed: str | None
) -> None:
    reply = {"command": command, "description": "d", "risk": "mutates"}
    got = readonly.repaired(reply, request_text, safety.Context())
    assert got["command"] == (fixed or command)


def test_the_engine_repairs_sed_in_place_without_a_model_call(tmp_path: Path) -> None:
    (tmp_path / "app.log").write_text("ERROR x\n")
    backend = MockBackend([cmd("sed -i 's/ERROR/ALERT/g' app.log")])
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)),
        "print app.log with ERROR replaced by ALERT",
        tmp_path,
    )
    assert proposal.reply["command"] == "sed 's/ERROR/ALERT/g' app.log"
    assert proposal.risk == "safe"
    assert len(backend.calls) == 1 and not any(isinstance(e, Retrying) for e in events)


@pytest.mark.parametrize(
    ("body", "command"),
    [
        ("jq . data/items.json", True),
        ("ls -la", True),
        # real Python, or a name that is no command here
        ("print(len(open('a').read()))", False),
        ("frobnicate . x", False),
        ("import json; print(json.load(open('a')))", False),
    ],
)
def test_a_shell_command_labelled_python_is_recognised(body: str, command: bool) -> None:
    assert verify.shell_in_python("python3", body) is command
    assert verify.shell_in_python("bash", body) is False


@pytest.mark.parametrize(
    ("interpreter", "body", "command"),
    [
        ("bash", "sed -i 's/a/b/' f", True),
        ("bash", "  ls -la  \n", True),
        # dash reads echo's backslashes differently from the bash a command runs in
        ("sh", "echo 'a\\tb'", False),
        ("bash", "x" * 2001, False),
        ("bash", "for f in *; do\n  echo $f\ndone", False),
        ("bash", "", False),
        ("node", "ls", False),
        ("python3", "jq . x.json", True),
    ],
)
def test_a_one_line_script_is_one_command(interpreter: str, body: str, command: bool) -> None:
    assert verify.is_one_command(interpreter, body) is command


def test_a_one_line_bash_script_for_a_print_request_is_repaired_as_a_command(
    tmp_path: Path,
) -> None:
    # seen in the benchmark: the sed -i came as a bash script, and the retry kept it
    script = {"script": {"interpreter": "bash", "body": "sed -i 's/ERROR/ALERT/g' app.log"}}
    backend = MockBackend([{**script, "description": "d", "risk": "mutates"}])
    proposal, _ = drive(
        Engine(backend, tools.Toolbox(tmp_path)),
        "print app.log with ERROR replaced by ALERT",
        tmp_path,
    )
    assert proposal.kind == "command"
    assert proposal.reply["command"] == "sed 's/ERROR/ALERT/g' app.log"
    assert len(backend.calls) == 1


def test_the_engine_shows_a_shell_command_labelled_python_as_a_command(tmp_path: Path) -> None:
    script = {"script": {"interpreter": "python3", "body": "jq . data/items.json"}}
    backend = MockBackend([{**script, "description": "d", "risk": "safe"}])
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)), "pretty-print data/items.json", tmp_path
    )
    assert proposal.kind == "command"
    assert proposal.reply["command"] == "jq . data/items.json"
    assert len(backend.calls) == 1


# -- first lines of the data files a request names ----------------------------------------


@pytest.mark.parametrize(
    ("request_text", "names"),
    [
        ("compute the average age in data/users.csv", ["data/users.csv"]),
        (
            "print the name and city columns of users.tsv and b.csv and c.csv",
            ["users.tsv", "b.csv"],
        ),
        ("count the requests per HTTP status code in logs/access.log", ["logs/access.log"]),
        ("print the third field of /etc/passwd", ["/etc/passwd"]),
        # not about columns: a log or a text file costs tokens and says nothing
        ("show the lines of logs/app.log with ERROR", []),
        ("print the value of the name field in data/config.json", []),
        ("find large files", []),
    ],
)
def test_the_data_files_a_request_names(request_text: str, names: list[str]) -> None:
    assert peek.named_files(request_text) == names


def test_first_lines_go_into_the_context_as_json_strings(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "users.csv").write_text('name,age,"city\x1b[2J"\nann,31,Berlin\n')
    backend = MockBackend([cmd("awk -F, 'NR>1 {s+=$2; n++} END {print s/n}' data/users.csv")])
    drive(
        Engine(backend, tools.Toolbox(tmp_path)),
        "compute the average age in data/users.csv",
        tmp_path,
    )
    user = backend.calls[0][-1]["content"]
    assert '- first line of data/users.csv: "name,age,\\"city\\u001b[2J\\""' in user
    assert "\x1b" not in user and "ann,31" not in user


def test_a_credential_or_binary_file_is_not_peeked(tmp_path: Path) -> None:
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "keys.csv").write_text("secret,key\n")
    (tmp_path / "blob.csv").write_bytes(b"\x00\x01\xff\xfe\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / ".ssh" / "keys.csv")
    box = tools.Toolbox(tmp_path)
    assert peek.first_lines("sum .ssh/keys.csv and link.csv", box) == ()
    assert peek.first_lines("the columns of blob.csv", box) == ()
    assert peek.first_lines("the columns of missing.csv", box) == ()


def test_only_files_under_the_working_directory_are_peeked(tmp_path: Path) -> None:
    # found by review: a link out to a key file, /etc/shadow when run as root
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id.csv").write_text("[12,34,56]\n")
    here = tmp_path / "here"
    here.mkdir()
    (here / "data.csv").symlink_to(outside / "id.csv")
    (here / "ok.csv").write_text("a,b\n")
    box = tools.Toolbox(here)
    assert peek.first_lines("average of column 2 of data.csv", box) == ()
    assert peek.first_lines(f"the columns of {outside}/id.csv", box) == ()
    assert peek.first_lines("count users per shell in /etc/passwd", box) == ()
    assert peek.first_lines("sum ok.csv", box) == (("ok.csv", "a,b"),)


@pytest.mark.parametrize(
    "request_text",
    [
        "find the .sh files and chmod +x them",
        "find config.ini and replace 8080 with 9090 in it",
        "list the logs and then delete them",
    ],
)
def test_a_request_that_also_asks_for_a_change_is_not_look_only(request_text: str) -> None:
    reply = {"command": "sed -i 's/8080/9090/' config.ini", "description": "d", "risk": "mutates"}
    assert readonly.repaired(reply, request_text, safety.Context()) == reply
    assert readonly.unasked_change(reply, request_text, safety.Context()) == []


@pytest.mark.parametrize(
    "command",
    [
        # a `{}` inside quotes: a `\;` there would change the words (found by review)
        'find . -name "*.tmp" -exec sh -c "echo {}" && rm -rf ~/x " ;',
        # a NUL: no argv carries it; nothing to repair and no crash
        "find . -name x\0 -exec rm {} \\;",
        # valid commands with `-o find` in their words are not touched
        "find . -name 'a -o find . -b' -print",
        "find . -name a | xargs echo -o find . -name b",
    ],
)
def test_repairs_leave_what_they_cannot_be_sure_of(command: str) -> None:
    assert repair.command(command) == command
    verify.problems(command, None)  # no exception either


# issue 25: details copied from the example shown with a request that differs


@pytest.mark.parametrize(
    ("command", "request_text", "said"),
    [
        (
            "find . -name '*.log' -mtime +7 -delete",
            "delete log files older than 10 days",
            "it uses 7 as an example does, but the request says 10",
        ),
        ("find . -name '*.log' -mtime +7 -delete", "delete log files older than a week", ""),
        ("find . -name '*.log' -mtime +10 -delete", "delete log files older than 10 days", ""),
        (
            "find notes -name '*.txt' -exec gzip {} +",
            "compress each txt file in docs with gzip",
            "`notes` comes from an example, not from the request, and is not in this directory",
        ),
        ("gzip docs/*.txt", "compress each txt file in docs with gzip", ""),
        ("sed -i 's/foo/bar/g' a.txt", "replace foo with bar in a.txt", ""),
    ],
)
def test_a_detail_copied_from_an_example_is_asked_about(
    command: str, request_text: str, said: str, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(prompt, "EXAMPLES_PER_REQUEST", 3)  # with examples shown (bank3)
    assert copied.problem(command, request_text, str(tmp_path)) == said


def test_no_example_shown_nothing_copied(tmp_path) -> None:
    command = "find . -name '*.log' -mtime +7 -delete"
    assert copied.problem(command, "delete log files older than 10 days", str(tmp_path)) == ""


def test_a_name_that_is_in_the_directory_is_not_copied(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(prompt, "EXAMPLES_PER_REQUEST", 3)
    (tmp_path / "notes").mkdir()
    command = "find notes -name '*.txt' -exec gzip {} +"
    assert copied.problem(command, "compress each txt file in docs with gzip", str(tmp_path)) == ""
