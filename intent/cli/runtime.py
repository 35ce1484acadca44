"""`i runtime status|install`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from intent.cli import render
from intent.errors import IntentError
from intent.llamacpp import find as runtime
from intent.llamacpp import install as runtime_install
from intent.settings import paths
from intent.settings.config import Config

app = typer.Typer(help="Find or install llama.cpp.", no_args_is_help=True)


@app.command("status")
def status(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Which llama.cpp binaries are used, where from, and their versions."""
    p = paths.resolve()
    info = runtime.status(p, Config(p.config_file))
    if json_out:
        render.emit_json(info)
    else:
        for name, b in info["binaries"].items():
            if b["found"]:
                render.echo(f"✓ {name}: {b['path']} ({b['source']}, version {b['version']})")
            else:
                render.echo(
                    f"✗ {name}: not found"
                    + (f" ({b['path']} from {b['source']})" if b["path"] else "")
                    + " — run `i runtime install`"
                )
    if not info["binaries"][runtime.SERVER]["found"]:
        raise typer.Exit(3)


def smoke_model() -> Path | None:
    """An installed model for the smoke test: the configured one, else any installed GGUF."""
    from intent.app import wiring
    from intent.models import catalog

    p = paths.resolve()
    try:  # the same resolution as every model call: INTENT_MODEL, then the config
        name, source = wiring.requested_model(None, Config(p.config_file), dict(os.environ))
        current = catalog.resolve(p, name, source)
        if current.path.is_file():
            return current.path
    except IntentError:
        pass
    found = (
        sorted(p.models_dir.glob("*.gguf"), key=lambda f: f.stat().st_size)
        if p.models_dir.exists()
        else []
    )
    return found[0] if found else None


@app.command("install")
def install(
    method: Annotated[
        str | None, typer.Option("--method", help="brew, apt, dnf, pacman, zypper or source.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before installing.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even when a working build exists.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Install llama.cpp: Homebrew, the distro's packages, or a source build (about 6–12 minutes)."""
    p = paths.resolve()
    host = runtime_install.Host.current()
    if method is not None and method not in runtime_install.METHODS:
        render.error(
            f"unknown method {method!r}; choose one of {', '.join(runtime_install.METHODS)}."
        )
        raise typer.Exit(2)
    if not yes and host.has_tty:
        chosen = method or runtime_install.choose_method(host)
        answer = render.read_line(
            f"Install llama.cpp with {chosen} into {p.runtime_dir if chosen == 'source' else 'the system'}? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            raise typer.Exit(8)
    result = runtime_install.install(
        p,
        method=method,
        host=host,
        progress=render.progress_printer("runtime: "),
        smoke_model=smoke_model(),
        force=force,
    )
    if json_out:
        render.emit_json(
            {
                "method": result.method,
                "server": str(result.server),
                "one_shot": str(result.one_shot) if result.one_shot else None,
                "smoke": result.smoke,
                "seconds": round(result.seconds, 1),
                "reused": result.reused,
            }
        )
    else:
        render.echo(
            f"llama.cpp ready ({result.method}{', reused' if result.reused else ''}, "
            f"{result.seconds:.0f}s): {result.server}"
        )
        render.echo(f"smoke test: {result.smoke}")
