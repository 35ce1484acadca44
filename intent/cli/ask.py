"""Natural-language mode: the flags' `Request` completed with what the terminal says, the ask
use case (`app/ask.py`) with the terminal as its screen, and the end of the turn rendered."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator
from dataclasses import replace

from intent.app import ask as app_ask
from intent.app import wiring
from intent.cli import conversation, render
from intent.errors import IntentError
from intent.run import audit, handoff
from intent.run.settle import Decision
from intent.turn import engine

STDIN_CAP = 1 << 20


def read_piped_stdin() -> bytes | None:
    """Piped or redirected stdin (a pipe or a file), capped; a terminal or a socket is not read."""
    import stat

    try:
        if sys.stdin is None or sys.stdin.isatty():
            return None
        mode = os.fstat(sys.stdin.fileno()).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISREG(mode)):
            return None
        return sys.stdin.buffer.read(STDIN_CAP)
    except (OSError, ValueError, AttributeError):
        return None


def run(request: app_ask.Request) -> int:
    """Add what the terminal says to the flags' `Request`, run the ask use case (`app/ask.py`)
    with the terminal as its screen, and render how the turn ended."""
    tty = sys.stdin.isatty() and sys.stderr.isatty() if sys.stdin else False
    # the shell function's channel is for this call only: no command or tool i starts sees it
    shell_channel = {k: os.environ.pop(k) for k in handoff.ENV if k in os.environ}
    request = replace(request, tty=tty, shell_channel=shell_channel, read_stdin=read_piped_stdin)
    asked = app_ask.Ask(request, TerminalScreen(request)).run()
    return _render_end(asked, request)


def _render_end(asked: app_ask.Asked, request: app_ask.Request) -> int:
    turn, proposal, settled = asked.turn, asked.proposal, asked.settled
    if asked.error is not None:
        if asked.bug is not None and request.verbose:
            render.traceback(asked.bug)
        if request.json:
            render.emit_json(turn.envelope())
        else:
            render.error(asked.error.message, asked.error.hint)
            if request.verbose and asked.error.detail:
                render.note(render.visible(asked.error.detail, newlines=True))
        return turn.exit_code if turn.exit_code is not None else 1
    assert proposal is not None and settled is not None
    if settled.status == "inform":
        if not request.json:
            render.out(render.visible(proposal.reply["stdout_to_user"], newlines=True))
    elif settled.status == "clarify":
        if not request.json:
            render.note(f"? {render.visible(proposal.reply['clarifying_question'])}")
    elif settled.decision == "raw":
        # raw is for `$(i --raw ...)` and the shell binding: exact text into a pipe, but a
        # terminal still sees it escaped
        raw = proposal.command_text or ""
        shown = render.visible(raw, newlines=True) if sys.stdout.isatty() else raw
        render.out(audit.encoded(shown))  # a lone surrogate cannot go down a pipe
    elif settled.decision == "explain" and not request.json and proposal.kind == "command":
        from intent.cli.explain import print_breakdown
        from intent.explain import walk as explain_mod
        from intent.settings import paths

        cache_dir = paths.resolve().cache_dir
        print_breakdown(explain_mod.explain(proposal.reply["command"], cache_dir=cache_dir))
    if settled.outcome is not None and settled.outcome.timed_out:
        render.error(f"the command ran past {asked.timeout:g}s and was stopped.")
    if request.json:
        render.emit_json(turn.envelope())
    return settled.exit_code


class TerminalScreen:
    """The ask use case's screen on a terminal: the spinner, the streamed preview, the
    proposal with its risk, the confirmation prompt. Model text is always shown escaped."""

    def __init__(self, request: app_ask.Request) -> None:
        self.request = request
        # the command on screen as soon as it is decoded; --json, --raw and pipes unchanged
        self.preview = render.Preview(None, enabled=not (request.json or request.raw))

    def note(self, line: str) -> None:
        # notes quote the trial's file names, server messages, model output: never raw
        render.note(render.visible(line, newlines=True))

    def waiting(self, line: str) -> None:
        """A busy remote server is being waited out: say so above the spinner."""
        render.note(("\r\033[K" if render.err_tty() else "") + line)

    def ask_user(self, question: str) -> str | None:
        return render.ask_user(question)

    def watch(self, text: str) -> None:
        self.preview.watch(text)

    def drive(
        self, gen: Generator[engine.Event, None, engine.Proposal], label: str
    ) -> engine.Proposal:
        return conversation.drive(gen, label, self.preview, self.request)

    def proposal(self, proposal: engine.Proposal, *, cached: bool) -> None:
        render.proposal(proposal, quiet=self.request.quiet, cached=cached)

    def confirm(self, proposal: engine.Proposal) -> Decision:
        return render.confirm(proposal)

    def offer_unconfined(self, proposal: engine.Proposal) -> bool:
        return render.offer_unconfined(proposal)

    def revised(self, revised: engine.Proposal | None, error: IntentError | None) -> None:
        conversation.show_revision(revised, error, self.request)

    def simulated(self, text: str) -> None:
        render.note(f"(simulated) {render.visible(text, newlines=True)}")

    def stage(self, label: str) -> None:
        render.stage(label)

    def first_use(
        self, choice: wiring.Choice, *, tty: bool, resolve: Callable[[], wiring.Choice]
    ) -> wiring.Choice:
        return conversation.first_use(choice, tty=tty, resolve=resolve)
