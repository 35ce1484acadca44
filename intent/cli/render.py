"""The only module that prints or prompts. Decoration goes to stderr, and only on a terminal."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shlex
import shutil
import sys
import threading
from collections.abc import Iterator
from typing import Any

from intent.cli import partial
from intent.run import clipboard
from intent.run.settle import Decision
from intent.turn.engine import Proposal
from intent.vocab import CONFIRMS, FRICTION, Risk

RISK_COLOR: dict[Risk, str] = {
    "safe": "32",
    "network": "36",
    "mutates": "33",
    "destructive": "31",
    "sudo": "35",
}


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\x1b": "\\e", "\r": "\\r", "\t": "\\t", "\n": "\\n", "\b": "\\b", "\a": "\\a"}


def visible(text: object, *, newlines: bool = False) -> str:
    """Untrusted text (from the model, a tool, stdin, a file, the audit log) made safe to show:
    control characters, bidi overrides and lone surrogates become visible escapes (`\\e`,
    `\\r`, `\\x9b`, `\\u202e`), so the text cannot move the cursor, erase a line, hide
    itself or write the clipboard. `newlines=True` keeps line breaks (multi-line answers)."""
    s = text if isinstance(text, str) else str(text)
    if s.isprintable() and s.isascii():
        return s
    out = []
    for ch in s:
        code = ord(ch)
        if ch == "\n" and newlines:
            out.append(ch)
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif ch in _BIDI or 0xD800 <= code <= 0xDFFF or ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def err_tty() -> bool:
    return sys.stderr.isatty()


def color_on() -> bool:
    return err_tty() and not os.environ.get("NO_COLOR")


def paint(text: str, code: str) -> str:
    return f"\033[{code}m{text}\033[0m" if color_on() else text


def note(text: str) -> None:
    """A line for the user on stderr (always shown: warnings, hints, errors)."""
    print(text, file=sys.stderr, flush=True)


def out(text: str) -> None:
    print(text, flush=True)


def echo(text: object = "") -> None:
    """A line of a subcommand's own output on stdout, written by click as it always was (click
    strips colour codes when stdout is not a terminal)."""
    import typer  # loaded already by every subcommand that reaches here

    typer.echo(text)


def traceback(exc: BaseException | None = None) -> None:
    """The traceback of `exc` (or of the exception being handled), on stderr (for -v on an
    internal error)."""
    import traceback as tb

    if exc is None:
        tb.print_exc()
    else:
        tb.print_exception(exc)


def read_line(question: str) -> str:
    """One line from the keyboard after `question`; the caller has checked for a terminal."""
    return input(question)


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error(message: str, hint: str | None = None) -> None:
    line = f"i: {visible(message)}"  # messages quote replies, paths and arguments
    if hint:
        line += f" {visible(hint)}"
    note(paint(line, "31") if color_on() else line)


def proposal(p: Proposal, *, quiet: bool = False, cached: bool = False) -> None:
    """Show what the model proposes, with its risk and the guard's reasons."""
    if not err_tty() and quiet:
        return
    text = p.command_text or ""
    risk = p.risk or "safe"
    label = paint(f"[{risk}]", RISK_COLOR.get(risk, "0"))
    if p.kind == "script":
        header = f"{visible(p.reply['script']['interpreter'])} script:"
        note(f"{label} {header}\n" + "\n".join(f"    {visible(ln)}" for ln in text.split("\n")))
    else:
        note(f"{label} {paint(visible(text), '1')}")
    for warning in p.warnings:
        note(paint(f"  warning: {visible(warning)}", "33"))
    tried = p.trial
    if tried is not None and tried.ran:
        if tried.timed_out:
            note(paint("  not tried: it outlasted the trial's second on a copy", "2"))
        elif tried.effect is not None and not tried.effect.empty:
            note(paint(f"  would change: {visible(tried.effect.summary())}", "36"))
        if tried.outside:
            note(paint("  would also write outside this directory (not tried there)", "33"))
    if not quiet:
        # a fenced command comes without a description
        said = [visible(p.reply.get("description", "")), "(cached answer)" if cached else ""]
        if any(said):
            note("  " + " ".join(filter(None, said)))
        if p.simulated:
            note("  (simulated: no local model is installed; nothing will run)")
        for reason in (p.verdict.reasons if p.verdict else [])[:6]:
            note(f"  - {visible(reason)}")


class Preview:
    """The command on screen while the rest of the reply is still being decoded.

    `watch` is given the streamed text; once the command's JSON string is complete it is
    shown with a neutral marker (`[…]`: not rated yet). `clear` takes the line back before
    the guarded proposal (or a retry) is shown, so the command appears once, with its risk.
    """

    MARKER = "[…]"

    def __init__(self, spinner: Spinner | None, enabled: bool) -> None:
        self.spinner = spinner
        self.enabled = enabled and err_tty()
        self.rows = 0

    def watch(self, text: str) -> None:
        if not self.enabled or self.rows:
            return
        streamed = partial.command_of(text)
        if streamed is None:
            return
        command = visible(streamed, newlines=True)  # model text: never raw on the terminal
        line = f"{paint(self.MARKER, '2')} {paint(command, '1')}"
        with self.spinner.pause() if self.spinner else contextlib.nullcontext():
            note(line)
        width = max(1, shutil.get_terminal_size((80, 24)).columns)
        shown = f"{self.MARKER} {command}".splitlines() or [""]
        self.rows = sum(max(1, -(-len(part) // width)) for part in shown)

    def clear(self) -> None:
        """Erase the preview lines (the cursor is on the line below them)."""
        if self.rows:
            with self.spinner.pause() if self.spinner else contextlib.nullcontext():
                sys.stderr.write(f"\r\033[{self.rows}F\033[J")
                sys.stderr.flush()
            self.rows = 0


def describe(p: Proposal) -> None:
    if "description" in p.reply:
        note(f"  description: {visible(p.reply['description'])}")
    else:
        how = f"i explain {shlex.quote(p.command_text or '')}"
        note(
            visible(f"  no description from the model; `{how}` reads one from local documentation")
        )
    claimed = f" (model said {p.reply['risk']})" if "risk" in p.reply else " (the guard's rating)"
    said = [f"risk: {p.risk}{claimed}"]
    said += [
        f"{k.replace('_', ' ')}: {p.reply[k]}"
        for k in ("expected_runtime", "confidence")
        if k in p.reply
    ]
    note(visible("  " + "; ".join(said)))
    for reason in p.verdict.reasons if p.verdict else []:
        note(f"  - {visible(reason)}")
    for alt in p.reply.get("alternatives", []) or []:
        note(
            visible(
                f"  alternative [{alt.get('risk')}]: {alt.get('command')}  # {alt.get('description')}"
            )
        )


def _read(prompt_text: str, prefill: str = "") -> str | None:
    """One line from the terminal; None on EOF or Ctrl-D."""
    sys.stderr.write(prompt_text)
    sys.stderr.flush()
    if prefill:
        with contextlib.suppress(ImportError):
            import readline

            readline.set_startup_hook(lambda: readline.insert_text(prefill))
    else:
        _wait_for_line()
    try:
        return input()
    except EOFError:
        sys.stderr.write("\n")
        return None
    finally:
        if prefill:
            with contextlib.suppress(ImportError):
                import readline

                readline.set_startup_hook(None)


def _wait_for_line() -> None:
    """Return when the terminal holds a whole line (or end of input) for `input()`; a signal
    meanwhile raises here. `input()` alone misses a Ctrl-C that lands after its last look at
    pending signals and before its read starts: the read then waits for Enter with `^C` on
    screen (seen under load in tests/cli/test_live_shell.py, and traced: SIGINT handled 0.6 ms
    before the read began). Python's signal handler writes to the wakeup descriptor whenever a
    signal arrives, so waiting on it as well leaves no such gap. On a terminal in canonical
    mode a read returns at most one line, so nothing waits in a buffer select cannot see; on
    anything else (a pipe, readline's raw mode) this waits for nothing."""
    import select
    import signal
    import termios

    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd) or not termios.tcgetattr(fd)[3] & termios.ICANON:
            return
    except (OSError, ValueError, AttributeError, termios.error):
        return
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set the wakeup descriptor (and gets the signals)
    wake_r, wake_w = os.pipe()
    try:
        os.set_blocking(wake_w, False)
        old = signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
        try:
            while True:
                ready, _, _ = select.select([fd, wake_r], [], [])
                if fd in ready:
                    return
                os.read(wake_r, 64)  # a signal whose handler did not raise: wait on
        finally:
            signal.set_wakeup_fd(old)
    finally:
        os.close(wake_r)
        os.close(wake_w)


def confirm(p: Proposal) -> Decision:
    """Friction by risk: Enter runs safe/network, `y` runs mutates, `yes` runs the rest."""
    while True:
        risk = p.risk or "mutates"
        friction = FRICTION[risk]
        rest = "[e] edit · [r] revise · [c] copy · [d] describe · [n] cancel: "
        if friction == "enter":
            choices = "[Enter] run · " + rest
        elif friction == "y":
            choices = "[y] run · " + rest
        else:
            choices = f"{paint(risk.upper(), RISK_COLOR[risk])}: type 'yes' to run · " + rest
        answer = _read(choices)
        if answer is None:
            return Decision("cancel")
        a = answer.strip().lower()
        if a in ("n", "no", "q"):
            return Decision("cancel")
        if a == "d":
            describe(p)
            continue
        if a == "c":
            copy(p.command_text or "")
            continue
        if a == "r":
            feedback = _read("what should change? ")
            if feedback is None:
                return Decision("cancel")
            if feedback.strip():
                return Decision("revise", feedback=feedback.strip())
            continue
        if a == "e":
            edited = _read("edit> ", prefill=p.command_text or "")
            if edited is None or not edited.strip():
                return Decision("cancel")
            return Decision("edit", edited.strip())
        if a in CONFIRMS[friction]:
            return Decision("run")
        note(
            "  not run: "
            + ("type the word yes" if friction == "yes" else "press y")
            + ", or n to cancel"
        )


def offer_unconfined(p: Proposal) -> bool:
    """After a confined run tried to write: run it again outside the view, at `mutates`
    friction (a typed y; Enter, n or Ctrl-D leave it). Keys typed before the question was on
    screen are discarded: only an answer to it counts."""
    _discard_typeahead()
    answer = _read("  run it again without the read-only view? it may change files [y/N]: ")
    return answer is not None and answer.strip().lower() in ("y", "yes")


def _discard_typeahead() -> None:
    import termios

    with contextlib.suppress(OSError, ValueError, termios.error, AttributeError):
        if sys.stdin.isatty():
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)


def copy(text: str) -> None:
    """Put the command on the clipboard: a clipboard program, else the terminal (OSC 52)."""
    tool = clipboard.copy(text, os.environ)
    if tool is None:
        sys.stderr.write(clipboard.osc52(text))
        tool = "the terminal (OSC 52)"
    note(f"  copied with {tool}")


def ask_user(question: str) -> str | None:
    """The model's `ask_user` tool: a question on the terminal (the spinner steps aside)."""
    shown = f"? {visible(question)}\n> "
    if _ACTIVE:
        with _ACTIVE[-1].pause():
            return _read(shown)
    return _read(shown)


_ACTIVE: list[Spinner] = []  # the spinner on screen, so a prompt can pause it


class Spinner:
    """A status line on stderr while the model thinks; silent when stderr is not a terminal."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.base_label = label
        self.label = _STAGE[0] if _STAGE else label
        self.enabled = enabled and err_tty()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Spinner:
        _ACTIVE.append(self)
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._halt()
        _ACTIVE.remove(self)

    @contextlib.contextmanager
    def pause(self) -> Iterator[None]:
        """Step aside for other output or a question, then carry on."""
        self._halt()
        try:
            yield
        finally:
            self._start()

    def _start(self) -> None:
        if self.enabled:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()

    def _halt(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
            self._thread = None

    def _spin(self) -> None:
        for frame in itertools.cycle("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"):
            if self._stop.wait(0.1):
                break
            sys.stderr.write(f"\r{frame} {self.label}\033[K")
            sys.stderr.flush()
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


_STAGE: list[str] = []  # a stage named before its spinner was on screen


def stage(text: str) -> None:
    """What the spinner on screen waits for now ("starting llama-server…", "loading the model
    X…"); "" gives it back its own label. Silent when stderr is not a terminal (the spinner is
    off); a stage named before the spinner starts shows when it does."""
    _STAGE[:] = [text] if text else []
    if _ACTIVE:
        _ACTIVE[-1].label = text or _ACTIVE[-1].base_label


def progress_printer(prefix: str = "") -> Any:
    """A progress callback for long steps: lines on stderr."""

    def show(line: str) -> None:
        note(f"{prefix}{line}")

    return show
