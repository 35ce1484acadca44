"""The only module that prints or prompts. Decoration goes to stderr, and only on a terminal."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from intent.run.settle import Decision
from intent.turn.engine import Proposal

RISK_COLOR = {"safe": "32", "network": "36", "mutates": "33", "destructive": "31", "sudo": "35"}


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


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error(message: str, hint: str | None = None) -> None:
    line = f"i: {message}"
    if hint:
        line += f" {hint}"
    note(paint(line, "31") if color_on() else line)


def proposal(p: Proposal, *, quiet: bool = False, cached: bool = False) -> None:
    """Show what the model proposes, with its risk and the guard's reasons."""
    if not err_tty() and quiet:
        return
    text = p.command_text or ""
    risk = p.risk or "safe"
    label = paint(f"[{risk}]", RISK_COLOR.get(risk, "0"))
    if p.kind == "script":
        header = f"{p.reply['script']['interpreter']} script:"
        note(f"{label} {header}\n" + "\n".join(f"    {line}" for line in text.splitlines()))
    else:
        note(f"{label} {paint(text, '1')}")
    for warning in p.warnings:
        note(paint(f"  warning: {warning}", "33"))
    if not quiet:
        extra = " (cached answer)" if cached else ""
        note(f"  {p.reply.get('description', '')}{extra}")
        if p.simulated:
            note("  (simulated: no local model is installed; nothing will run)")
        for reason in (p.verdict.reasons if p.verdict else [])[:6]:
            note(f"  - {reason}")


def describe(p: Proposal) -> None:
    note(f"  description: {p.reply.get('description', '')}")
    note(
        f"  risk: {p.risk} (model said {p.reply.get('risk')}); runtime: {p.reply.get('expected_runtime')}; "
        f"confidence: {p.reply.get('confidence')}"
    )
    for reason in p.verdict.reasons if p.verdict else []:
        note(f"  - {reason}")
    for alt in p.reply.get("alternatives", []) or []:
        note(f"  alternative [{alt.get('risk')}]: {alt.get('command')}  # {alt.get('description')}")


def _read(prompt_text: str, prefill: str = "") -> str | None:
    """One line from the terminal; None on EOF or Ctrl-D."""
    sys.stderr.write(prompt_text)
    sys.stderr.flush()
    if prefill:
        with contextlib.suppress(ImportError):
            import readline

            readline.set_startup_hook(lambda: readline.insert_text(prefill))
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


def confirm(p: Proposal) -> Decision:
    """Friction by risk: Enter runs safe/network, `y` runs mutates, `yes` runs the rest."""
    while True:
        risk = p.risk or "mutates"
        if risk in ("safe", "network"):
            choices = "[Enter] run · [e] edit · [d] describe · [n] cancel: "
        elif risk == "mutates":
            choices = "[y] run · [e] edit · [d] describe · [n] cancel: "
        else:
            choices = f"{paint(risk.upper(), RISK_COLOR[risk])}: type 'yes' to run · [e] edit · [d] describe · [n] cancel: "
        answer = _read(choices)
        if answer is None:
            return Decision("cancel")
        a = answer.strip().lower()
        if a in ("n", "no", "q"):
            return Decision("cancel")
        if a == "d":
            describe(p)
            continue
        if a == "e":
            edited = _read("edit> ", prefill=p.command_text or "")
            if edited is None or not edited.strip():
                return Decision("cancel")
            return Decision("edit", edited.strip())
        if risk in ("safe", "network") and a in ("", "y", "yes"):
            return Decision("run")
        if risk == "mutates" and a in ("y", "yes"):
            return Decision("run")
        if risk in ("destructive", "sudo") and a == "yes":
            return Decision("run")
        note(
            "  not run: "
            + ("type the word yes" if risk in ("destructive", "sudo") else "press y")
            + ", or n to cancel"
        )


def ask_user(question: str) -> str | None:
    """The model's `ask_user` tool: a question on the terminal (the spinner steps aside)."""
    if _ACTIVE:
        with _ACTIVE[-1].pause():
            return _read(f"? {question}\n> ")
    return _read(f"? {question}\n> ")


_ACTIVE: list[Spinner] = []  # the spinner on screen, so a prompt can pause it


class Spinner:
    """A status line on stderr while the model thinks; silent when stderr is not a terminal."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
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


def progress_printer(prefix: str = "") -> Any:
    """A progress callback for long steps: lines on stderr."""

    def show(line: str) -> None:
        note(f"{prefix}{line}")

    return show
