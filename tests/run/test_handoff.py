"""The hand-off to the calling shell: what runs there and what stays in a child, the private
channel, the status the shell reports back, and `i` without the function (unchanged)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from intent.errors import IntentError
from intent.guard import walk as safety
from intent.run import audit, handoff, shell_status
from intent.run.settle import Decision, Mode, settle
from intent.settings import paths
from intent.turn.engine import Proposal, proposal_for


def proposal(command: str, risk: str = "safe") -> Proposal:
    reply = {"command": command, "description": "d", "risk": risk}
    return proposal_for(reply, safety.Context())


# (command, decision, runs in the calling shell?)
PLACES = [
    # shell state: lost in a child, so the shell takes it even at Enter
    ("cd /tmp/x && export VAR=value", "confirmed", True),
    ("cd ~/Downloads", "confirmed", True),
    ("pushd /tmp", "confirmed", True),
    ("export EDITOR=vim", "confirmed", True),
    ("cd src && ls -la", "confirmed", True),
    ("VAR=1; unset OTHER", "autorun", True),
    ("cd $(git rev-parse --show-toplevel)", "confirmed", True),
    # typed `y` (mutates): the shell runs it, so aliases and sourced environments stick
    ("source .venv/bin/activate", "confirmed", True),
    ("alias ll='ls -l'", "confirmed", True),
    ("touch a.txt && cd /tmp", "edited", True),
    ("make", "confirmed", True),
    # run without a typed answer and not shell state: confined in a child
    ("ls -la", "confirmed", False),
    ("cd /tmp | cat", "confirmed", False),
    ("cd /tmp > /dev/null", "confirmed", False),
    ("if true; then cd /tmp; fi", "confirmed", False),
    ("{ cd /tmp; }", "confirmed", False),
    ("cd /tmp && curl -s https://example.com", "confirmed", False),
    ("FOO=1 ls", "confirmed", False),
    # could end or reshape the interactive shell: a child, whatever the risk
    ("exit", "confirmed", False),
    ("exit 3", "autorun", False),
    ("exec bash", "confirmed", False),
    ("command exec ls", "confirmed", False),
    ("cd /tmp && exit", "confirmed", False),
    ("set -e", "confirmed", False),
    ("set -o vi", "confirmed", False),
    ("shopt -s globstar", "confirmed", False),
    ("trap 'echo bye' EXIT", "confirmed", False),
    ("ulimit -n 64", "confirmed", False),
    ("f() { cd /tmp; }; f", "confirmed", False),
    ("eval cd /tmp", "confirmed", False),
    ("declare -x A=1", "confirmed", False),
    # above mutates: a child
    ("rm -f old.log && cd /tmp", "confirmed", False),
    ("sudo cd /root", "confirmed", False),
]


@pytest.mark.parametrize(("command", "decision", "in_shell"), PLACES)
def test_what_runs_in_the_calling_shell(command: str, decision: str, in_shell: bool) -> None:
    where = handoff.place(proposal(command), decision, "bash")  # the guard's risk, not a claim
    assert where.shell is in_shell, where.reason


def test_an_option_change_runs_in_the_shell_only_when_the_request_names_it() -> None:
    def shell(command: str, request: str, sh: str = "bash") -> bool:
        return handoff.place(proposal(command), "confirmed", sh, request).shell

    assert shell("set -o vi", "use vi keys in my shell")
    assert shell("shopt -s globstar", "enable globstar")
    assert shell("setopt auto_cd", "turn on autocd", "zsh")
    assert not shell("set -o vi", "list files")
    assert not shell("set -e", "exit on error")  # single letters never count
    assert not shell("shopt -s globstar && set -o vi", "enable globstar")
    assert not shell("shopt -s globstar && exit", "enable globstar")


def test_a_script_runs_in_its_interpreter() -> None:
    reply = {
        "script": {"interpreter": "python3", "body": "import os; os.chdir('/tmp')"},
        "description": "d",
        "risk": "safe",
    }
    where = handoff.place(proposal_for(reply, safety.Context()), "confirmed", "zsh")
    assert not where.shell and "script" in where.reason


@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_gets_only_what_fish_parses() -> None:
    assert handoff.place(proposal("cd /tmp && export A=1"), "confirmed", "fish").shell
    assert handoff.place(proposal("set -gx A 1", "mutates"), "confirmed", "fish").shell
    for bash_only in (
        "touch a && for f in a; do echo $f; done",
        "touch a && [[ -e a ]] && echo yes",
        "touch ${HOME}/a",
    ):
        where = handoff.place(proposal(bash_only, "mutates"), "confirmed", "fish")
        assert not where.shell and "bash child" in where.reason, bash_only
        assert handoff.place(proposal(bash_only, "mutates"), "confirmed", "bash").shell


def private_dir(tmp_path: Path) -> Path:
    d = tmp_path / f"handoff{len(list(tmp_path.glob('handoff*')))}"
    d.mkdir(mode=0o700)
    return d


def test_the_channel_is_refused_unless_private(tmp_path: Path) -> None:
    env = {"INTENT_HANDOFF": str(private_dir(tmp_path)), "INTENT_HANDOFF_SHELL": "bash"}
    assert handoff.Channel.from_env(env, "id") is not None
    assert handoff.Channel.from_env({**env, "INTENT_HANDOFF_SHELL": "tcsh"}, "id") is None
    assert handoff.Channel.from_env({**env, "INTENT_HANDOFF": str(tmp_path / "no")}, "id") is None
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o755)
    assert handoff.Channel.from_env({**env, "INTENT_HANDOFF": str(open_dir)}, "id") is None
    link = tmp_path / "link"
    link.symlink_to(private_dir(tmp_path))
    assert handoff.Channel.from_env({**env, "INTENT_HANDOFF": str(link)}, "id") is None


def test_the_command_is_written_0600_once_and_never_through_a_symlink(tmp_path: Path) -> None:
    d = private_dir(tmp_path)
    channel = handoff.Channel(d, "bash", "20260101000000-abcdef")
    channel.give("cd /tmp")
    assert (d / "run").read_text() == "cd /tmp"
    assert (d / "id").read_text() == "20260101000000-abcdef"
    assert (d / "run").stat().st_mode & 0o777 == 0o600
    with pytest.raises(IntentError, match="nothing was run"):
        channel.give("rm -rf ~")  # a second write never replaces what the shell will run
    assert (d / "run").read_text() == "cd /tmp"
    other = tmp_path / "other"
    other.mkdir(mode=0o700)
    (other / "target").write_text("")
    (other / "history").symlink_to(other / "target")
    handoff.Channel(other, "bash", "x").ran("ls")
    assert (other / "target").read_text() == ""


def test_settle_records_then_hands_off_instead_of_running(tmp_path: Path) -> None:
    d = private_dir(tmp_path)
    channel = handoff.Channel(d, "bash", "20260101000000-abcdef")
    order = []

    def record(decision: str, command: str) -> None:
        order.append(("record", decision, command, (d / "run").exists()))

    settled = settle(
        proposal(f"touch {tmp_path}/made && cd /tmp", "mutates"),
        Mode(tty=True),
        lambda p: Decision("run"),
        safety.Context(),
        tmp_path,
        record=record,
        hand_off=channel,
    )
    assert settled.status == "handed" and settled.exit_code == 0
    assert order == [("record", "confirmed", f"touch {tmp_path}/made && cd /tmp", False)]
    assert (d / "run").exists() and not (tmp_path / "made").exists()  # the shell runs it, not i
    ran = settle(
        proposal("ls", "safe"),
        Mode(tty=True),
        lambda p: Decision("run"),
        safety.Context(),
        tmp_path,
        hand_off=handoff.Channel(private_dir(tmp_path), "bash", "id"),
    )
    assert ran.status == "executed"  # at Enter and not shell state: run here, as before


def test_the_shell_reports_the_status_once(tmp_path: Path) -> None:
    log = paths.resolve().audit_log
    ident = "20260101000000-abcdef"
    audit.append(log, {"id": ident, "prompt": "go", "executed_command": "cd /x"})
    assert shell_status.report([ident, "1"]) == 1  # not a handed turn
    audit.append(log, {"id": ident, "outcome": "handed", "ran_in": "bash"})
    assert shell_status.report(["../etc", "0"]) == 2
    assert shell_status.report([ident, "x"]) == 2
    assert shell_status.report([ident, "1"]) == 0
    assert shell_status.report([ident, "0"]) == 1  # recorded once
    record = audit.find(log, ident)
    assert record is not None and record["exit_code"] == 1 and record["outcome"] == "finished"
    assert audit.last_failed(log) == record  # `i fix` sees it


def test_without_a_terminal_the_channel_is_ignored(run_i, tmp_path: Path) -> None:
    d = private_dir(tmp_path)
    env = {"INTENT_HANDOFF": str(d), "INTENT_HANDOFF_SHELL": "bash"}
    script = [{"command": "cd /tmp && export A=1", "description": "d", "risk": "safe"}]
    r = run_i("--backend", "mock", "-y", "go", script=script, env=env)
    assert r.code == 0
    assert os.listdir(d) == []  # piped: ran here as before, nothing handed
    r = run_i("--backend", "mock", "--json", "-y", "go", script=script, env=env)
    assert r.json()["status"] == "executed" and os.listdir(d) == []
