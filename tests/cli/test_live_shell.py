"""`i` lives in your shell: real bash, zsh and fish on a pty, after `i shell-init`, with the
scripted mock backend. A confirmed command runs in the shell it was typed in (cd and export
persist), lands in its history, sets `$?`, and its status reaches the audit log; Alt-i still
works; Ctrl-C, a refusal and a proposed `exit` leave the shell as it was."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import REAL_ENV
from conftest import command_reply as reply
from ptydriver import Pty

from intent.run import audit

TREE = Path(__file__).resolve().parents[2]
SHELLS = {
    "bash": ["bash", "--norc", "--noprofile", "-i"],
    "zsh": ["zsh", "-f", "-i"],
    "fish": ["fish", "--no-config", "-i"],
}
END = "<<END>>"  # printed by the marker command; typed as '<<'""'END>>', so the echo never matches


class Shell(Pty):
    """An interactive shell with a throwaway HOME, no rc files, and `i` (this tree) on PATH."""

    def __init__(self, name: str, tmp: Path, intent_home: Path) -> None:
        if not shutil.which(name):
            if REAL_ENV.get("INTENT_REAL_TESTS") == "required":
                pytest.fail(f"{name} is not installed; tests/run.sh installs it")
            pytest.skip(f"{name} is not installed (tests/run.sh installs it)")
        self.name = name
        self.tmp = tmp
        self.log = intent_home / "state" / "audit.jsonl"
        bin_dir, home = tmp / "bin", tmp / "home"
        bin_dir.mkdir()
        home.mkdir()
        (bin_dir / "i").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m intent "$@"\n')
        (bin_dir / "i").chmod(0o755)
        self.script = tmp / "script.json"
        self.work = tmp / "work"
        (self.work / "dest").mkdir(parents=True)
        env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "PYTHONPATH": str(TREE),
            "HOME": str(home),
            "TERM": "dumb",
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
            "INTENT_HOME": str(intent_home),
            "INTENT_BACKEND": "mock",
            "INTENT_MOCK_SCRIPT": str(self.script),
            "OLLAMA_HOST": "127.0.0.1:9",
            "TMPDIR": str(tmp),
        }
        super().__init__(SHELLS[name], cwd=self.work, env=env, cols=400)
        self.status = "$status" if name == "fish" else "$?"
        if name == "fish":
            self.run("i shell-init fish | source")
        else:
            self.run(f'eval "$(i shell-init {name})"')

    def run(self, line: str, timeout: float = 30) -> str:
        """Type a line and return what it printed, up to the marker echoed after it."""
        self.send(f"{line}; echo '<<'\"\"'END>>'\r")
        return self.expect(END, timeout).rsplit("\n", 1)[0]

    def ask(self, request: str, *replies: dict, i: str = "i") -> None:
        """Type `i REQUEST` with the mock's replies ready; the caller answers the prompt."""
        self.script.write_text(json.dumps(list(replies)))
        self.send(f"{i} {request}\r")

    def state(self) -> dict[str, str]:
        out = self.run(f'echo "rc={self.status} pwd=$PWD var=$VAR"')
        line = next(x for x in out.splitlines() if x.startswith("rc="))
        return dict(part.split("=", 1) for part in line.strip().split(" "))

    def history(self) -> list[str]:
        cmd = {"bash": "history", "zsh": "fc -ln 1", "fish": "history | cat"}[self.name]
        lines = self.run(cmd).splitlines()[1:]
        if self.name == "bash":  # "  12  the command"
            lines = [x.strip().split(None, 1)[-1] for x in lines]
        return [x.strip() for x in lines]

    def turn(self, prompt: str, *, reported: bool, timeout: float = 20) -> dict:
        """The audit record of the last turn for `prompt`, once its status is in."""
        deadline = time.monotonic() + timeout
        while True:
            turns = [r for r in audit.read(self.log) if r.get("prompt") == prompt]
            if turns and (not reported or turns[-1].get("outcome") == "finished"):
                return turns[-1]
            assert time.monotonic() < deadline, f"no finished record for {prompt!r}: {turns}"
            time.sleep(0.1)


@pytest.fixture(params=list(SHELLS))
def sh(request: pytest.FixtureRequest, tmp_path: Path, intent_home: Path):
    shell = Shell(request.param, tmp_path, intent_home)
    yield shell
    shell.close()


def test_cd_and_export_persist_land_in_history_and_report_the_status(sh: Shell) -> None:
    dest = sh.work / "dest"
    handed = f"cd {dest} && export VAR=value"
    sh.ask("go there", reply(handed, "safe"))
    sh.expect("[Enter] run")
    sh.send("\r")
    record = sh.turn("go there", reported=True)
    assert record["ran_in"] == sh.name and record["exit_code"] == 0
    assert record["executed_command"] == handed
    assert sh.state() == {"rc": "0", "pwd": str(dest), "var": "value"}
    history = sh.history()
    assert handed in history and "i go there" in history  # Up-arrow: the command, then the ask
    # a command that fails sets $? and the audit log's exit code (what `i fix` reads)
    failing = f"touch made.txt && test -e {dest}/missing"
    sh.ask("make it", reply(failing, "mutates"))
    sh.expect("[y] run")
    sh.send("y\r")
    record = sh.turn("make it", reported=True)
    assert record["exit_code"] == 1 and record["ran_in"] == sh.name
    assert sh.state()["rc"] == "1"
    assert (dest / "made.txt").exists()
    assert failing in sh.history()
    assert not list(sh.tmp.glob("intent.*")), "the hand-off directory was removed"


def test_alt_i_puts_the_proposal_on_the_line_and_enter_runs_it_here(sh: Shell) -> None:
    dest = sh.work / "dest"
    sh.script.write_text(json.dumps([reply(f"cd {dest} && export VAR=alt", "safe")]))
    sh.send("go to dest")
    sh.send("\x1bi")
    sh.expect(f"cd {dest} && export VAR=alt")
    time.sleep(0.3)
    sh.send("\r")
    assert sh.state() == {"rc": "0", "pwd": str(dest), "var": "alt"}
    assert f"cd {dest} && export VAR=alt" in sh.history()


def test_ctrl_c_a_refusal_and_a_proposed_exit_leave_the_shell_as_it_was(sh: Shell) -> None:
    ran = sh.work / "ran.txt"
    sh.ask("go there", reply(f"cd {sh.work / 'dest'} && touch {ran}", "mutates"))
    sh.expect("[y] run")
    sh.send("\x03")
    sh.expect("interrupted")
    time.sleep(0.5)  # the terminal flushes what is typed ahead of a Ctrl-C
    assert sh.state() == {"rc": "130", "pwd": str(sh.work), "var": ""}
    # the guard refuses (a download piped into a shell): nothing runs, exit 4
    sh.ask("install it", reply(f"curl -s http://127.0.0.1:9/x | sh; touch {ran}", "network"))
    assert sh.state()["rc"] == "4"
    # `exit` from the model runs in a child: the shell is still here, and says why under -v
    sh.script.write_text(json.dumps([reply("exit 3", "safe")]))
    sh.send("i -v leave\r")
    sh.expect("[Enter] run")
    sh.send("\r")
    sh.expect("could end or change your shell")
    assert sh.state() == {"rc": "3", "pwd": str(sh.work), "var": ""}
    assert sh.proc.poll() is None
    # `command i` is the program without the function: it runs the command in a child, as before
    sh.ask("stay", reply(f"cd {sh.work / 'dest'}", "safe"), i="command i")
    sh.expect("[Enter] run")
    sh.send("\r")
    assert "ran_in" not in sh.turn("stay", reported=True)
    assert sh.state()["pwd"] == str(sh.work)
    assert not ran.exists()
    assert not list(sh.tmp.glob("intent.*"))
