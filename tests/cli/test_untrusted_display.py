"""Model text cannot drive the terminal: control sequences in replies are shown escaped on a
real pty, and again when `i history` replays the turn later."""

from __future__ import annotations

from pathlib import Path

from conftest import command_reply
from test_terminal import Terminal

from intent.cli.render import visible

FAKE_SAFE = "\r\x1b[2K[safe] ls -la"  # erases the line and paints a harmless-looking proposal
OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"  # writes "rm -rf ~" into the clipboard
HIDDEN = "\x1b[8mhidden\x1b[0m"


def test_visible_escapes_what_could_drive_a_terminal() -> None:
    assert visible(FAKE_SAFE) == "\\r\\e[2K[safe] ls -la"
    assert visible(OSC52) == "\\e]52;c;cm0gLXJmIH4K\\a"
    assert visible("a\u202eb\x9bc\x00d\ud800") == "a\\u202eb\\x9bc\\x00d\\ud800"
    assert visible("line one\nline two", newlines=True) == "line one\nline two"
    assert visible("line one\nline two") == "line one\\nline two"
    assert visible("plain ünïcode ✓") == "plain ünïcode ✓"


def test_carriage_return_and_erase_line_shown_escaped_on_a_pty(tmp_path: Path) -> None:
    reply = command_reply(FAKE_SAFE, "safe", description=f"lists {HIDDEN} files")
    # the command fails verification (bash -n), so the engine asks once more: the same reply
    t = Terminal(["list files"], [reply, reply], tmp_path)
    t.expect("[safe] ls -la")
    t.expect("[y] run")  # the guard does not know the utility: not safe
    t.send("n\r")
    assert t.wait() == 8
    assert "\\r\\e[2K[safe] ls -la" in t.seen
    assert "\\e[8mhidden\\e[0m" in t.seen
    assert "\x1b[2K" not in t.seen and "\x1b[8m" not in t.seen


def test_osc52_inform_answer_shown_escaped_on_a_pty(tmp_path: Path) -> None:
    t = Terminal(["what is it"], [{"stdout_to_user": f"copied {OSC52} done"}], tmp_path)
    t.expect("done")
    assert t.wait() == 0
    assert "\\e]52;c;cm0gLXJmIH4K\\a" in t.seen
    assert "\x1b]52" not in t.seen and "\x07" not in t.seen


def test_history_replays_them_escaped(run_i, tmp_path: Path) -> None:
    reply = command_reply(FAKE_SAFE, "safe", description=OSC52)
    # the command fails verification (bash -n), so the engine asks once more: the same reply
    assert run_i("--backend", "mock", "--dry", "list files", script=[reply, reply]).code == 0
    listed = run_i("history", "list")
    assert listed.code == 0
    assert "\\r\\e[2K[safe] ls -la" in listed.stdout
    assert "\x1b" not in listed.stdout and "\r" not in listed.stdout
    ident = listed.stdout.split()[0]
    shown = run_i("history", "show", ident)
    assert shown.code == 0
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "]52;c;cm0gLXJmIH4K" in shown.stdout
