"""The Typer apps: natural-language mode and the subcommands."""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from intent.cli import SUBCOMMANDS, render, version_text
from intent.errors import IntentError
from intent.vocab import BACKEND_CHOICES

COMMANDS_EPILOG = (
    "Commands: i explain CMD · i doctor · i model list|pull|use|show|rm|where · "
    "i runtime status|install · i init · i config get|set|list|path|edit · "
    "i history [list|show ID|clear] · i fix · i trust [DIR] · i shell-init bash|zsh|fish · "
    "i version. "
    "Flags are read only before the prompt; `i -- WORDS` forces a prompt."
)

ask_app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"allow_interspersed_args": False, "help_option_names": ["-h", "--help"]},
)
app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# the flags of natural-language mode, declared once (docs/usage.md)
Prompt = Annotated[list[str] | None, typer.Argument(help="What you want to do, in plain English.")]
Yes = Annotated[
    bool, typer.Option("--yes", "-y", help="Run safe and network commands without asking.")
]
Dry = Annotated[bool, typer.Option("--dry", help="Show the proposal; never run it.")]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
Raw = Annotated[bool, typer.Option("--raw", help="Print only the command; never run it.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Less output.")]
Explain = Annotated[
    bool, typer.Option("--explain", help="Show the proposal and its breakdown; do not run.")
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Do not use the answer cache.")]
NoSnapshot = Annotated[bool, typer.Option("--no-snapshot", help="Do not use KV snapshots.")]
Context = Annotated[
    list[str] | None, typer.Option("--context", help="Extra context KEY=VALUE (repeatable).")
]
Model = Annotated[str | None, typer.Option("--model", help="Catalog id or path to a .gguf file.")]
Backend = Annotated[
    str | None,
    typer.Option("--backend", help=f"{', '.join(BACKEND_CHOICES[:-1])} or {BACKEND_CHOICES[-1]}."),
]
Timeout = Annotated[
    int | None, typer.Option("--timeout", min=1, help="Seconds the command may run.")
]
Sandbox = Annotated[
    bool, typer.Option("--sandbox", help="Run in a sandbox (bwrap / sandbox-exec).")
]
ReadOnly = Annotated[bool, typer.Option("--ro", help="Run in a read-only sandbox.")]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show backend, timings and tool calls.")
]


@ask_app.command(epilog=COMMANDS_EPILOG)
def ask(
    prompt: Prompt = None,
    yes: Yes = False,
    dry: Dry = False,
    json_out: Json = False,
    raw: Raw = False,
    quiet: Quiet = False,
    explain: Explain = False,
    no_cache: NoCache = False,
    no_snapshot: NoSnapshot = False,
    context: Context = None,
    model: Model = None,
    backend: Backend = None,
    timeout: Timeout = None,
    sandbox: Sandbox = False,
    ro: ReadOnly = False,
    verbose: Verbose = False,
) -> None:
    """Turn plain English into a shell command, show its risk, and run it when that is safe and wanted."""
    from intent.app.ask import Request
    from intent.cli import ask as ask_mod

    if not prompt:
        raise typer.BadParameter('no prompt given; try: i "find large files"', param_hint="PROMPT")
    request = Request(
        " ".join(prompt),
        yes=yes,
        dry=dry,
        json=json_out,
        raw=raw,
        quiet=quiet,
        explain=explain,
        no_cache=no_cache,
        no_snapshot=no_snapshot,
        context=tuple(context or ()),
        model=model,
        backend=backend,
        timeout=timeout,
        sandbox=sandbox,
        ro=ro,
        verbose=verbose,
    )
    raise typer.Exit(ask_mod.run(request))


def _register() -> None:
    from intent.cli import config as config_cmd
    from intent.cli import doctor as doctor_cmd
    from intent.cli import explain as explain_cmd
    from intent.cli import history as history_cmd
    from intent.cli import init as init_cmd
    from intent.cli import model as model_cmd
    from intent.cli import runtime as runtime_cmd
    from intent.cli import shell as shell_cmd
    from intent.cli import trust as trust_cmd

    app.add_typer(config_cmd.app, name="config")
    app.add_typer(history_cmd.app, name="history")
    app.add_typer(model_cmd.app, name="model")
    app.add_typer(runtime_cmd.app, name="runtime")
    app.command("fix")(history_cmd.fix)
    app.command(
        "explain",
        context_settings={"allow_interspersed_args": False, "ignore_unknown_options": True},
    )(explain_cmd.explain)
    app.command("doctor")(doctor_cmd.doctor)
    app.command("init")(init_cmd.init)
    app.command("shell-init")(shell_cmd.shell_init)
    app.command("shell-report", hidden=True)(shell_cmd.shell_report)
    app.command("trust")(trust_cmd.trust)

    @app.command("version")
    def version() -> None:
        """Print the version, the llama.cpp build and the model."""
        render.echo(version_text())


def _terminate(signum: int, _frame: object) -> None:
    # SIGTERM/SIGHUP unwind like Ctrl-C, so `finally` blocks stop the llama-server child.
    raise KeyboardInterrupt


def dispatch(args: list[str]) -> int:
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _terminate)
    if args and args[0] in SUBCOMMANDS:
        _register()
        target, prog_args = app, args
    else:
        target, prog_args = ask_app, args
    try:
        target(args=prog_args, prog_name="i", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except IntentError as exc:  # the one boundary: every command's error, its message and code
        render.error(exc.message, exc.hint)
        if exc.detail and ("-v" in args or "--verbose" in args):
            render.note(render.visible(exc.detail, newlines=True))
        return exc.exit_code
    except KeyboardInterrupt:
        render.note("i: interrupted.")
        return 130
    except Exception as exc:  # a bug: one line, the traceback only with -v
        if "-v" in args or "--verbose" in args:
            render.traceback()
        render.note(f"i: internal error: {type(exc).__name__}: {exc} (run with -v for details)")
        return 1
    return 0
