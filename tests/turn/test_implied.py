"""What a request's own words imply about its command (intent/turn/implied.py), and the
crontab line that must keep the jobs already there (intent/turn/cronline.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import command_reply as cmd
from conftest import drive

from intent.backends.mock import MockBackend
from intent.turn import cronline, implied, repair, tools
from intent.turn.engine import Engine, Retrying


@pytest.mark.parametrize(
    ("request_text", "command", "said"),
    [
        ("make a hard link backup.db to data.db", "ln -s data.db backup.db", "hard link"),
        ("create a symlink latest pointing at v2", "ln v2 latest", "symbolic link"),
        ("list the .txt files only in this folder", "find . -name '*.txt'", "-maxdepth 1"),
        ("count .log files here, not in subfolders", "find . -name '*.log' | wc -l", "-maxdepth 1"),
        ("lines with the whole word cat in pets.txt", "grep cat pets.txt", "grep -w"),
        ("how many lines have the word error", "grep -c error app.log", "grep -w"),
        ("lines mentioning todo in any case", "grep todo notes.md", "grep -i"),
        ("find readme files, case insensitive", "find . -name 'readme*'", "-iname"),
        ("show errors in app.log with line numbers", "grep error app.log", "cat -n app.log"),
        ("list the hidden files here", "ls -l", "ls -a"),
        ("add a cron job that runs x.sh at 3am", "crontab -e", "opens an editor"),
        ("set debug to true in config.ini", "nano config.ini", "opens an editor"),
        ("which files in kb mention kafka", "find kb -name '*kafka*'", "what the files contain"),
        ("find anything called invoice", "grep -ril invoice .", "file names"),
        ("what changed in the last hour", "find . -mtime -1", "-mmin -60"),
        ("files modified 30 minutes ago or less", "find . -ctime 0", "-mmin"),
        ("emails from staff.csv, no header", "awk -F, '{print $4}' staff.csv", "no header"),
        ("rows over 100 without the header line", "awk -F, '$3 > 100' o.csv", "no header"),
        ("gzip the logs but keep the originals", "find . -name '*.log' -exec gzip {} +", "gzip -k"),
        ("copy a into b but dont overwrite anything", "cp -r a/. b/", "cp -n"),
        ("which files differ between main and dev", "git diff main dev", "--name-only"),
        ("what files did the last commit touch", "git log --name-only", "git log -1"),
        ("show panic in s.log with the 3 lines before it", "grep panic s.log", "-B option 3"),
        ("show panic in s.log and 2 lines after", "grep panic s.log", "-A option 2"),
        ("how many users in users.json are admins", "grep -c admin users.json", "jq"),
        ("top 3 words in a.txt", "grep -o '[a-z]+' a.txt | sort | uniq -c", "grep -E"),
        ("find lines with a number", r"grep '\d' a.txt", "grep -E"),
        ("which files in keys are world readable", "find keys -perm +o", "obsolete"),
        (
            "count timeout in each log",
            "find . -name '*.log' -exec grep -c timeout {} \\;",
            "no file names",
        ),
        ("decompress d.sql.gz but keep the compressed file", "gzip -d d.sql.gz", "-k"),
        ("2 lines of context around each Traceback in e.log", "grep Traceback e.log", "-C option"),
        ("zip the src folder into src.zip", "zip src.zip src", "-r"),
        (
            "insert a line saying Hello at the top of todo.txt",
            "echo Hello >> todo.txt",
            "1i command",
        ),
        ("lines of w.txt that appear only once", "sort w.txt | uniq -c", "uniq -u"),
        ("show the duplicated lines of w.txt", "sort w.txt | uniq", "uniq -d"),
        ("names of tracked files with uncommitted changes", "git status", "--name-only HEAD"),
        ("list the files that are staged", "git status -s", "diff --cached --name-only"),
        ("list the untracked files in this repository", "git status", "ls-files --others"),
        (
            "list the untracked files in this repository",
            "git status --porcelain | grep ^? | awk '{print $2}'",  # `dir/` for a whole folder
            "ls-files --others",
        ),
        (
            "sort the rows of users.csv by age, without the header",
            "tail -n +2 users.csv | awk -F, 'NR>1 {print $2}' | sort",  # two lines skipped
            "not both",
        ),
        (
            "count the .txt files in this tree",
            "find . -name '*.txt' -exec wc -l {} +",
            "count the files",
        ),
        (
            "the 5 largest files below here",
            "find . -type f -exec ls -l {} + | sort -r | head -5",
            "sort -k5",
        ),
        ("files in src that do not contain TODO", "grep -rl TODO src", "grep -L"),
        ("find files that everyone can write to", "find . -perm -w", "-o+w"),
        (
            "copy /etc/motd from db.example.com to here",
            "scp user@db.example.com:/etc/motd .",
            "user@",
        ),
        ("list only the directories here", "ls -d ./*", "ls -d */"),
        ("list only the directories here", "ls -d */ | grep -v '.'", "literal dot"),
        ("make a csv copy of m.tsv called m.csv", "cp m.tsv m.csv", "not converted"),
        (
            "kill all the sleep processes",
            "ps aux | grep '[s]leep' | awk '{print $2}' | xargs kill",
            "pkill -x",
        ),
        ("stop every node process", "kill $(ps aux | grep node | awk '{print $2}')", "pkill -x"),
        ("lines of app.log whose third field is WARN", "grep -E 'x\\s+WARN' app.log", "awk"),
        ("print column 2 of data.txt", "grep -o '[0-9]*' data.txt", "(column 2)"),
        (
            "which folder in vault takes up the most space",
            "find vault -type d -printf '%s %p\\n' | sort -rn | head -n 1",
            "du -s",
        ),
        ("the biggest directories here", "ls -lSd */", "du -s"),
        ("copy every .jpg below here into backup", "cp *.jpg backup/", "find . -name"),
        ("count the lines of all .py files recursively", "wc -l *.py", "find . -name"),
        ("the top-level keys of c.json", "jq '.keys' c.json", "keys[]"),
        ("show the largest number in numbers.txt", "tail -n 1 numbers.txt", "sort -n numbers.txt"),
    ],
)
def test_an_option_the_request_implies_and_the_command_leaves_out(
    request_text: str, command: str, said: str
) -> None:
    assert said in implied.problem(command, request_text)


@pytest.mark.parametrize(
    ("request_text", "command"),
    [
        ("make a hard link backup.db to data.db", "ln data.db backup.db"),
        ("create a symlink latest pointing at v2", "ln -sfn v2 latest"),
        ("list the .txt files only in this folder", "find . -maxdepth 1 -name '*.txt'"),
        ("list the .txt files only in this folder", "ls *.txt"),
        ("copy every .jpg below here into backup", "find . -name '*.jpg' -exec cp {} backup/ +"),
        ("count the lines of all .py files recursively", "find . -name '*.py' | xargs wc -l"),
        ("show the hidden entries", "ls -a | grep '^\\.'"),
        ("list the lines that are not empty", "grep -v '^$' f.txt"),
        ("rename data.tsv to data.csv", "mv data.tsv data.csv"),  # asked as it is
        ("lines of app.log whose third field is WARN", "awk '$3 == \"WARN\"' app.log"),
        ("sort users.csv by the second column", "sort -t, -k2 users.csv"),
        ("print the first column of a.txt", "cut -d' ' -f1 a.txt"),
        ("which folder in vault takes up the most space", "du -s vault/* | sort -rn | head -1"),
        ("list the folders here with their permissions", "ls -ld */"),
        ("count the empty lines in notes.txt", "grep -cv . notes.txt"),
        ("kill all the sleep processes", "pkill -x sleep"),
        ("how many sleep processes are running", "ps aux | grep -c '[s]leep'"),
        ("list the files in this folder with their sizes", "ls -lh"),
        ("list files in this directory sorted by size", "ls -lhS"),
        ("lines of log.csv whose third field is WARN", "grep -E '^[^,]*,[^,]*,WARN,' log.csv"),
        ("change the extension of data.csv to .tsv", "mv data.csv data.tsv"),
        ("list files that are staged or modified", "git diff --cached --name-only"),
        ("back up c.yaml as c.yml", "cp c.yaml c.yml"),
        ("make a csv copy of m.tsv called m.csv", "tr '\\t' ',' < m.tsv > m.csv"),
        ("lines with the whole word cat in pets.txt", "grep -w cat pets.txt"),
        ("lines with the whole word cat in pets.txt", r"grep '\bcat\b' pets.txt"),
        ("lines mentioning todo in any case", "grep -rin todo ."),
        ("show errors in app.log with line numbers", "grep -n error app.log"),
        ("show errors in app.log with line numbers", "cat -n app.log | grep error"),
        ("list the hidden files here", "ls -A"),
        ("list the hidden files here", "ls -d .*"),
        ("list the hidden files here", "find . -maxdepth 1 -name '.*'"),
        ("edit my crontab", "crontab -e"),
        ("open notes.txt in vim", "vim notes.txt"),
        # the words say nothing about the utility used
        ("find large files", "find . -size +100M"),
        ("count the words in a.txt", "wc -w a.txt"),
        ("find files whose name contains report", "find . -name '*report*'"),
        ("which files in kb mention kafka", "grep -rl kafka kb"),
        ("what changed in the last hour", "find . -mmin -60"),
        ("emails from staff.csv, no header", "tail -n +2 staff.csv | cut -d, -f4"),
        ("emails from staff.csv, no header", "awk -F, 'NR>1 {print $4}' staff.csv"),
        ("gzip the logs but keep the originals", "gzip -k *.log"),
        ("copy a into b but dont overwrite anything", "cp -rn a/. b/"),
        ("which files differ between main and dev", "git diff --name-only main dev"),
        ("what files did the last commit touch", "git show --name-only --format= HEAD"),
        ("what files did the last commit touch", "git log -1 --name-only"),
        ("show panic in s.log with the 3 lines before it", "grep -B3 panic s.log"),
        ("show panic in s.log with the 3 lines before it", "grep -B 3 panic s.log"),
        (
            "how many users in users.json are admins",
            "jq '[.[] | select(.admin)] | length' users.json",
        ),
        ("how many lines does users.json have", "wc -l users.json"),
        ("top 3 words in a.txt", "grep -oE '[a-z]+' a.txt | sort | uniq -c"),
        ("lines with a plus sign", "grep '+' a.txt"),
        ("which files in keys are world readable", "find keys -perm -o=r"),
        ("count timeout in each log", "find . -name '*.log' -exec grep -c timeout {} +"),
        ("decompress d.sql.gz but keep the compressed file", "gunzip -k d.sql.gz"),
        ("zip the src folder into src.zip", "zip -r src.zip src"),
        ("zip all the pdfs in this folder into p.zip", "zip p.zip *.pdf"),
        ("print g.txt without the duplicate names, keep the order", "awk '!seen[$0]++' g.txt"),
        (
            "the 5 largest files below here",
            "find . -type f -exec ls -l {} + | sort -k5,5nr | head -5",
        ),
        ("files in src that do not contain TODO", "grep -rL TODO src"),
        ("find files that everyone can write to", "find . -perm -o+w"),
        ("copy /etc/motd from db.example.com as user ann", "scp ann@db.example.com:/etc/motd ."),
        ("list only the directories here", "ls -d */"),
        ("the top-level keys of c.json", "jq -r 'keys[]' c.json"),
    ],
)
def test_a_command_that_does_what_the_words_imply_passes(request_text: str, command: str) -> None:
    assert implied.problem(command, request_text) == ""


@pytest.mark.parametrize(
    ("request_text", "stdout", "said"),
    [
        ("show the 5 biggest files", "total 20\na\nb\nc\nd\n", "`total` line"),
        ("top 3 most common words", "count word\na\nb\nc\n", "asks for 3"),
        ("the 3 largest folders", "a\nb\nc\nd\n", "asks for 3"),
        ("print lines 5 to 10 of x.txt", "5\n6\n7\n8\n9\n", "6 lines"),
        ("print lines 5 to 10 of x.txt", "4\n5\n6\n7\n8\n9\n10\n", "6 lines"),
        ("total units sold in sales.csv", "3\n4\n5\n", "one number"),
        ("how many rows in data.csv", "2 a\n3 b\n", "one number"),
    ],
)
def test_one_line_too_many_for_the_count_the_request_asks_for(
    request_text: str, stdout: str, said: str
) -> None:
    assert said in implied.output_problem(request_text, stdout)


@pytest.mark.parametrize(
    ("request_text", "stdout"),
    [
        ("show the 5 biggest files", "a\nb\nc\nd\ne\n"),
        ("show the 5 biggest files", "a\nb\n"),  # fewer may be all there is
        ("print lines 5 to 10 of x.txt", "5\n6\n7\n8\n9\n10\n"),
        ("print lines 5 to 10 of x.txt", ""),
        ("find large files", "a\nb\nc\n"),
        ("total units sold in sales.csv", "12\n"),
        ("how many lines in each py file", "3 a.py\n4 b.py\n"),
        ("how much free memory do i have", "Mem: 1\nSwap: 2\n"),
        ("how big is m.gz uncompressed", "compressed uncompressed\n12 40 m\n"),
        ("how many rows in data.csv", "  \n\n"),  # only blank lines: nothing to judge
        ("the 3 largest files", "\n"),
    ],
)
def test_the_count_the_request_asks_for_is_printed(request_text: str, stdout: str) -> None:
    assert implied.output_problem(request_text, stdout) == ""


def test_the_engine_asks_again_for_the_option_the_request_implies(tmp_path: Path) -> None:
    (tmp_path / "data.db").write_text("x")
    backend = MockBackend([cmd("ln -s data.db backup.db"), cmd("ln data.db backup.db")])
    proposal, events = drive(
        Engine(backend, tools.Toolbox(tmp_path)), "make a hard link backup.db for data.db", tmp_path
    )
    assert proposal.reply["command"] == "ln data.db backup.db"
    assert any(isinstance(e, Retrying) for e in events)
    assert "hard link" in backend.calls[1][-1]["content"]


# -- crontab: a new line keeps the old ones ------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "echo '0 3 * * * /x.sh' | crontab -",
        r"printf '%s\n' '0 3 * * * /x.sh' | crontab -",
        "crontab -e -l 2>/dev/null; echo '0 3 * * * /x.sh' | crontab -",
    ],
)
def test_a_new_crontab_line_piped_alone_is_rewritten_to_keep_the_others(command: str) -> None:
    request = "add a cron job that runs /x.sh every day at 3am"
    assert "replaces the whole crontab" in cronline.problem(command, request)
    fixed = cronline.kept(command, request)
    assert fixed == "(crontab -l 2>/dev/null; echo '0 3 * * * /x.sh') | crontab -"
    assert cronline.problem(fixed, request) == ""
    assert repair.reply(cmd(command), request, None)["command"] == fixed


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("(crontab -l; echo '0 3 * * * /x.sh') | crontab -", "add a job at 3am"),
        ("crontab -l | { cat; echo '0 3 * * * /x.sh'; } | crontab -", "add a job at 3am"),
        ("echo '0 3 * * * /x.sh' | crontab -", "replace my crontab with a job at 3am"),
        # more than installing lines: not rewritten (the retry says what is wrong)
        ("grep -v x old.txt | crontab -", "add a job at 3am"),
    ],
)
def test_a_crontab_pipe_that_keeps_the_old_lines_or_is_asked_to_replace_them_stays(
    command: str, request_text: str
) -> None:
    assert cronline.kept(command, request_text) == command


@pytest.mark.parametrize(
    ("request_text", "command", "wrong"),
    [
        ("find files not modified in the last 3 days", "find . -mtime -3", True),
        ("find files not modified in the last 3 days", "find . -mtime +2", False),
        ("files changed in the last 2 days", "find . -mtime +2", True),
        ("files changed in the last 2 days", "find . -mtime -2", False),
        ("delete logs older than 10 days", "find . -name '*.log' -mtime -10 -delete", True),
        ("find files over 50MB", "find . -size +50k", True),
        ("find files over 50 MB", "find . -size +50M", False),
        ("find empty files", "find . -empty", True),
        ("find empty files and empty directories", "find . -empty", False),
        ("remove the empty folders", "find . -empty -delete", True),
        ("folders by size biggest first", "du -sh * | sort -rn", True),
        ("folders by size biggest first", "du -sh * | sort -rh", False),
        ("count unique ips in access.log", "awk '{print $1}' access.log | uniq | wc -l", True),
        ("count unique ips in access.log", "awk '{print $1}' access.log | sort -u | wc -l", False),
        ("show the last 20 lines of app.log", "head -n 20 app.log", True),
        ("show the first 5 lines of app.log", "tail -n 5 app.log", True),
        ("show the first 5 lines of app.log", "head -n 5 app.log", False),
        ("count the lines in notes.txt", "wc notes.txt", True),
        ("count the words in notes.txt", "wc notes.txt", True),
        ("pack logs into logs.tar.gz", "tar -cf logs.tar.gz logs", True),
        ("pack logs into logs.tar.gz", "tar czf logs.tar.gz logs", False),
        ("make deploy.sh executable", "chmod 644 deploy.sh", True),
        ("make deploy.sh executable", "chmod 755 deploy.sh", False),
        ("replace foo with bar in config.txt", "sed 's/foo/bar/g' config.txt", True),
        ("replace foo with bar in config.txt", "sed -i 's/foo/bar/g' config.txt", False),
        ("show config.txt with foo replaced by bar", "sed 's/foo/bar/g' config.txt", False),
    ],
)
def test_what_everyday_words_fix_in_find_sort_uniq_head_wc_tar_chmod_and_sed(
    request_text: str, command: str, wrong: bool
) -> None:
    said = implied.problem(command, request_text)
    assert bool(said) == wrong, said
    # a hint is written with the request's own values, never a placeholder the model copies
    assert not re.search(r"\b(?:PATTERN|FILE|N|KEY|DIR)\b|\$N", said)


def test_no_request_and_command_make_the_checks_raise() -> None:
    """A check that raises would end the turn: odd words, odd commands, odd outputs."""
    import random

    rng = random.Random(1)
    words = (
        "find grep -exec {} ; + xargs ln -s tar czf zip -r chmod 755 git log diff status uniq "
        "sort -rn du -sh head tail -n wc jq a.json .keys sed -i crontab -e user@h:x ( ) | > >> ''"
    ).split()
    asked = (
        "only here the word any case hidden last hour no header keep original which files "
        "before it called named mention over 5mb older than 3 days empty files executable "
        "replace x in a.txt how many total top 3 lines 2 to 9 each"
    ).split()
    for _ in range(2000):
        command = " ".join(rng.choice(words) for _ in range(rng.randint(0, 9)))
        request = " ".join(rng.choice(asked) for _ in range(rng.randint(0, 8)))
        assert isinstance(implied.problem(command, request), str)
        out = "".join(rng.choice(["\n", " ", "1", "total 3", "a b", "\t"]) for _ in range(6))
        assert isinstance(implied.output_problem(request, out), str)


# -- notes: what the words alone imply, said with the request ---------------------------------


@pytest.mark.parametrize(
    ("request_text", "said"),
    [
        ("list the files in src that do not contain TODO", "grep -L"),
        ("find files that everyone can write to", "-perm -o+w"),
        ("show the lines of words.txt that appear only once", "sort words.txt | uniq -u"),
        ("print orders.csv without the header line", "tail -n +2 orders.csv"),
        ("gzip the logs but keep the originals", "gzip -k"),
        ("list the top-level keys of data/config.json", "jq -r 'keys[]' data/config.json"),
        ("files modified in the last 2 hours", "-mmin"),
        ("find the files named readme, case insensitive", "find -iname"),
        ("show panic in s.log with the 3 lines before it", "-B option 3"),
        ("list the .txt files only in this folder", "-maxdepth 1"),
        ("print guests.txt without duplicates, keep the original order", "awk '!seen[$0]++'"),
    ],
)
def test_the_words_alone_are_said_before_the_model_answers(request_text: str, said: str) -> None:
    assert any(said in note for note in implied.notes(request_text))


@pytest.mark.parametrize(
    "request_text",
    [
        "find large files",  # words that imply nothing
        "add a cron job that runs backup.sh at 3am",  # the editor rule waits for an editor
        "summarise config.json",  # jq waits for a command that reads JSON as text
        "compress the logs folder into a tar.gz",  # command-only rules (tar -z, zip -r)
        "rename the photos but keep the original names in a list",  # not gzip's -k
        # words that match a rule's but say nothing about its utility (from the review)
        "print hello world",
        "list my ssh keys",
        "put quotes around each line",
        "delete it after it is copied",
        "show the lines of app.log that contain ERROR",  # lines, not files: no grep -l
        "sort names.txt by length, keeping the original order for ties",
    ],
)
def test_rules_whose_words_match_many_requests_wait_for_the_command(request_text: str) -> None:
    assert implied.notes(request_text) == []


def test_each_note_is_said_once_and_the_user_message_puts_them_before_the_request() -> None:
    from intent.turn import prompt

    request = "find the files called readme, in any case, only in this folder"
    said = implied.notes(request)
    assert len(said) == len(set(said)) >= 2  # -iname, -maxdepth 1, find -name: one each
    ctx = prompt.RequestContext(
        cwd="/home/ana", os_name="Linux", distro="", shell="bash", git="", binaries=("ls",)
    )
    text = prompt.user_message(request, ctx)
    assert text.endswith(f"Notes: {'; '.join(said)}.\nRequest: {request}")
    assert "Notes:" not in prompt.user_message("find large files", ctx)


def test_the_engine_sends_the_notes_with_the_first_request(tmp_path: Path) -> None:
    backend = MockBackend([cmd("grep -rL TODO src")])
    proposal, _ = drive(
        Engine(backend, tools.Toolbox(tmp_path)),
        "list the files in src that do not contain TODO",
        tmp_path,
    )
    assert proposal.reply["command"] == "grep -rL TODO src"
    assert "grep -L" in backend.calls[0][-1]["content"]
    assert len(backend.calls) == 1


def test_a_stable_or_renumbered_sort_keeps_the_order() -> None:
    request = "remove the duplicate lines of a.txt, keeping the original order"
    assert implied.problem("sort a.txt | uniq", request)
    for kept in ("sort -s -u -k1,1 a.txt", "cat -n a.txt | sort -uk2 | sort -n | cut -f2-"):
        assert implied.problem(kept, request) == ""


def test_a_change_a_copy_cannot_show_is_not_asked_again() -> None:
    assert implied.unchanged_problem("touch notes.txt", "notes.txt", "", []) is None
    assert implied.unchanged_problem("export $(xargs < app.env)", "app.env", "", []) is None
    found = implied.unchanged_problem("sed -i 's/a/b/' f.txt", "f.txt", "", ["a = 1"])
    # the file's lines go to the model as data, apart from the message the user may see
    assert found is not None and "a = 1" not in found.message and '["a = 1"]' in found.data
