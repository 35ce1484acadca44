"""`i shell-init bash|zsh|fish`: the alias that stops globbing, and a key binding that puts
the generated command on the command line for editing (so it lands in shell history)."""

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
