"""The proposal as a conversation on the terminal: drive the engine behind a spinner with the
streamed command previewed, and show the answer to a revision (the `r` key; the revision itself
is the ask use case's, in app/ask.py)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from intent.cli import render
from intent.errors import IntentError, ModelMissing, RuntimeMissing
from intent.redact import redact
from intent.turn import engine

if TYPE_CHECKING:
    from intent.app.ask import Request
    from intent.app.wiring import Choice


INSTALL_HINT = "Run `i init` (or `i runtime install` and `i model pull`)."


def first_use(choice: Choice, *, tty: bool, resolve: Callable[[], Choice]) -> Choice:
    """Nothing to answer with (auto found no runtime, no model and no server): on a terminal,
    offer once to run the `i init` steps and then answer; without one, exit 3 with the command
    to run. Never a simulated answer."""
    if not choice.simulated:
        return choice
    no_model = "no model" in choice.source
    what = "the model is not installed" if no_model else "llama.cpp is not installed"
    error = ModelMissing if no_model else RuntimeMissing
    if not tty:
        raise error(f"{what} and no model server answers.", hint=INSTALL_HINT)
    question = f"{what} — install it now (about {_minutes(no_model)} minutes)? [Y/n] "
    try:
        answer = render.read_line(question).strip().lower()
    except EOFError:
        answer = "n"
    if answer not in ("", "y", "yes"):
        raise error(f"{what}; nothing was installed.", hint=INSTALL_HINT)
    import typer

    from intent.cli.init import init

    try:
        init(yes=False)
    except typer.Exit as exc:
        if exc.exit_code:
            raise error("the installation did not finish (see above).", hint=INSTALL_HINT) from None
    found = resolve()
    if found.simulated:
        raise error(f"{what} even after `i init`.", hint="Run `i doctor`.")
    return found


def _minutes(model_only: bool) -> str:
    """A fair guess: a package manager takes a minute or two, a source build ten or more."""
    if model_only:
        return "1"
    from intent.llamacpp import install

    return "2" if install.choose_method(install.Host.current()) != "source" else "10-15"


def drive(
    gen: Generator[engine.Event, None, engine.Proposal],
    label: str,
    preview: render.Preview,
    opts: Request,
) -> engine.Proposal:
    """Run the engine to its proposal behind a spinner, the command previewed as it streams."""
    with render.Spinner(label, enabled=not opts.quiet) as spinner:
        preview.spinner = spinner
        try:
            while True:
                try:
                    event = next(gen)
                except StopIteration as stop:
                    proposal: engine.Proposal = stop.value  # the generator's return value
                    return proposal
                if isinstance(event, engine.Retrying):
                    preview.clear()  # that reply is discarded; the next one is previewed anew
                if opts.verbose:
                    with spinner.pause():
                        verbose(event)
        finally:
            preview.clear()
            preview.spinner = None


def show_revision(
    revised: engine.Proposal | None, error: IntentError | None, opts: Request
) -> None:
    """The `r` key's answer: a new proposal with its risk, or why the current one stays."""
    if error is not None or revised is None:
        render.error(error.message if error else "no answer", "The proposal is unchanged.")
        return
    if revised.kind in ("command", "script"):
        render.proposal(revised, quiet=opts.quiet)
        return
    text = {
        "inform": revised.reply.get("stdout_to_user"),
        "clarify": revised.reply.get("clarifying_question"),
        "refuse": revised.reply.get("refusal_reason"),
    }.get(revised.kind)
    shown = render.visible(text or "", newlines=True)
    render.note(f"? {shown}" if revised.kind == "clarify" else f"  {shown}")
    render.note("  (the proposal is unchanged)")


def verbose(event: Any) -> None:
    if isinstance(event, engine.ModelCalled):
        t = event.timings
        keys = (
            "startup_ms",
            "prompt_n",
            "cache_n",
            "prompt_ms",
            "predicted_n",
            "predicted_ms",
            "spawn_ms",
            "load_ms",
            "snapshot_restored",
            "snapshot_restore_ms",
            "mode",
        )
        shown = " ".join(
            f"{k}={round(t[k]) if isinstance(t[k], float) else t[k]}" for k in keys if k in t
        )
        render.note(f"model call {event.step + 1}: {event.ms:.0f} ms {shown}")
    elif isinstance(event, engine.ToolRan):
        first = event.result.splitlines()[0][:100] if event.result else ""
        shown = f"tool {event.name}({redact(str(event.arguments))}) -> {first}"
        render.note(render.visible(shown))
    elif isinstance(event, engine.Retrying):
        render.note(f"invalid reply, retrying once: {render.visible(event.error)}")
