"""`i trust [DIR]`: let a directory's `.intentrc` reach the model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from intent.cli import render
from intent.settings import paths
from intent.settings import trust as trust_mod


def trust(
    directory: Annotated[
        Path | None, typer.Argument(help="Default: the current directory.")
    ] = None,
    revoke: Annotated[bool, typer.Option("--revoke", help="Stop trusting it.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="The trusted directories.")] = False,
) -> None:
    """Use this directory's .intentrc as project notes for the model (it is off until trusted)."""
    p = paths.resolve()
    if list_:
        for d in trust_mod.trusted(p):
            render.echo(render.visible(d))
        return
    target = (directory or Path.cwd()).expanduser()
    if not target.is_dir():
        render.error(f"{target} is not a directory.")
        raise typer.Exit(2)
    if revoke:
        done = trust_mod.revoke(p, target)
        render.note(
            f"{'no longer trusted' if done else 'was not trusted'}: {render.visible(target)}"
        )
        return
    key = trust_mod.trust(p, target)
    render.note(f"trusted: {render.visible(key)} (its .intentrc now goes to the model, as data)")
