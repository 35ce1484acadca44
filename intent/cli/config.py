"""`i config get/set/unset/list/path/edit`."""

from __future__ import annotations

import os
import shutil
from typing import Annotated

import typer

from intent import process
from intent.cli import render
from intent.errors import IntentError
from intent.settings import paths
from intent.settings.config import KEYS, Config

app = typer.Typer(help="Read and change config.toml.", no_args_is_help=True)


def _config() -> Config:
    return Config(paths.resolve().config_file)


@app.command("get")
def get(key: str) -> None:
    """Print one key's effective value."""
    if key not in KEYS:
        raise IntentError(f"unknown config key {key!r}; valid keys: {', '.join(KEYS)}")
    value = _config().get(key)
    render.echo(str(value).lower() if isinstance(value, bool) else value)


@app.command("set")
def set_(key: str, value: str) -> None:
    """Set a key; the key and the value's type are checked."""

    stored = _config().set(key, value)
    render.echo(f"{key} = {stored}")


@app.command("unset")
def unset(key: str) -> None:
    """Remove a key so its default applies again."""
    _config().unset(key)


@app.command("list")
def list_(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every key with its effective value and where it came from."""
    cfg = _config()
    if json_out:
        render.emit_json(cfg.as_dict())
        return
    for name, key in KEYS.items():
        value = cfg.get(name)
        origin = "set" if name in cfg.raw else "default"
        shown = (
            str(value).lower() if isinstance(value, bool) else repr(value) if value == "" else value
        )
        render.echo(f"{name} = {shown}  # {origin}: {key.doc}")


@app.command("path")
def path() -> None:
    """Where config.toml lives."""
    render.echo(str(paths.resolve().config_file))


@app.command("edit")
def edit() -> None:
    """Open config.toml in $EDITOR."""
    file = paths.resolve().config_file
    file.parent.mkdir(parents=True, exist_ok=True)
    file.touch(exist_ok=True)
    editor = (
        os.environ.get("VISUAL")
        or os.environ.get("EDITOR")
        or ("nano" if shutil.which("nano") else "vi")
    )
    outcome = process.run_user_command([editor, str(file)], timeout=24 * 3600)
    raise typer.Exit(outcome.exit_code)
