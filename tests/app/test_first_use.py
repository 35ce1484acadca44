"""A plain `i "..."` on a machine with nothing to answer with: the install offer on a terminal,
the missing-runtime exit and the command to run without one; never a simulated answer."""

from __future__ import annotations

import pytest
import typer

from intent.app.wiring import Choice
from intent.cli import conversation, render
from intent.errors import ModelMissing, RuntimeMissing

NOTHING = Choice("mock", "auto: no llama.cpp runtime installed and no server answers", True)
NO_MODEL = Choice("mock", "auto: no model installed and no server answers", True)
READY = Choice("llama-server", "auto: llama-server from managed")


def test_a_real_choice_passes_untouched() -> None:
    assert conversation.first_use(READY, tty=True, resolve=lambda: NOTHING) is READY


def test_without_a_terminal_it_exits_3_with_the_install_command() -> None:
    with pytest.raises(RuntimeMissing) as info:
        conversation.first_use(NOTHING, tty=False, resolve=lambda: READY)
    assert info.value.exit_code == 3 and "i init" in (info.value.hint or "")
    assert "llama.cpp is not installed" in info.value.message
    with pytest.raises(ModelMissing):
        conversation.first_use(NO_MODEL, tty=False, resolve=lambda: READY)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    questions: list[str] = []
    monkeypatch.setattr(conversation, "_minutes", lambda model_only: "2")
    return questions


def answer(monkeypatch: pytest.MonkeyPatch, questions: list[str], reply: str) -> None:
    def read_line(q: str) -> str:
        questions.append(q)
        return reply

    monkeypatch.setattr(render, "read_line", read_line)


def test_on_a_terminal_yes_runs_init_then_answers(monkeypatch, asked) -> None:
    import intent.cli.init as init_mod

    ran: list[bool] = []
    monkeypatch.setattr(init_mod, "init", lambda yes=False: ran.append(yes))
    answer(monkeypatch, asked, "")
    assert conversation.first_use(NOTHING, tty=True, resolve=lambda: READY) is READY
    assert asked == ["llama.cpp is not installed — install it now (about 2 minutes)? [Y/n] "]
    assert ran == [False]


def test_on_a_terminal_no_installs_nothing(monkeypatch, asked) -> None:
    import intent.cli.init as init_mod

    monkeypatch.setattr(init_mod, "init", lambda yes=False: pytest.fail("installed"))
    answer(monkeypatch, asked, "n")
    with pytest.raises(RuntimeMissing) as info:
        conversation.first_use(NOTHING, tty=True, resolve=lambda: READY)
    assert "nothing was installed" in info.value.message and len(asked) == 1


def test_a_failed_install_is_the_missing_runtime_error(monkeypatch, asked) -> None:
    import intent.cli.init as init_mod

    def failing(yes: bool = False) -> None:
        raise typer.Exit(3)

    monkeypatch.setattr(init_mod, "init", failing)
    answer(monkeypatch, asked, "y")
    with pytest.raises(RuntimeMissing):
        conversation.first_use(NOTHING, tty=True, resolve=lambda: READY)


def test_a_plain_request_with_nothing_installed_is_not_simulated(run_i) -> None:
    r = run_i("--json", "list files", env={"PATH": "/usr/bin:/bin"})
    assert r.code == 3
    obj = r.json()
    assert obj["response"] is None and "i init" in obj["error"]
    assert "simulated" not in r.stdout + r.stderr
    r = run_i("list files", env={"PATH": "/usr/bin:/bin"})
    assert r.code == 3 and "i init" in r.stderr and "simulated" not in r.stderr
