"""`i shell-init bash|zsh|fish`: `i` as a shell function (a confirmed command runs in the calling
shell and lands in its history; no globbing of the request), and Alt-i, which puts the generated
command on the command line for editing. `i shell-report` is the function's way back."""

from __future__ import annotations

import typer

from intent.cli import render
from intent.settings import shell as shell_mod


def shell_init(shell: str) -> None:
    """Print the shell integration for bash, zsh or fish."""
    try:
        render.echo(shell_mod.snippet(shell))
    except KeyError:
        render.error(f"unknown shell {shell!r}; choose bash, zsh or fish.")
        raise typer.Exit(2) from None


def shell_report(ident: str, status: int) -> None:
    """Record the exit status of a command the shell function ran (used by the function)."""
    from intent.run.shell_status import report

    raise typer.Exit(report([ident, str(status)]))
