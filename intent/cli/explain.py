"""`i explain CMD...`."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from intent.app import wiring
from intent.cli import render
from intent.errors import IntentError
from intent.explain import walk as explain_mod
from intent.settings import paths
from intent.settings.config import Config


def explain(
    command: Annotated[
        list[str], typer.Argument(help="The command to explain (quote it to keep pipes).")
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print the structure as JSON.")] = False,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Only the documentation breakdown.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Explain a shell command from local documentation (man, --help), with its risk."""
    text = " ".join(command)
    if not text.strip():
        render.error("nothing to explain; try: i explain 'tar -xzvf a.tgz'")
        raise typer.Exit(2)
    p = paths.resolve()
    result = explain_mod.explain(text, cache_dir=p.cache_dir)
    if not no_model:
        result["summary"] = _summary(result, p, verbose)
    if json_out:
        render.emit_json(result)
        return
    print_breakdown(result)


def print_breakdown(result: dict) -> None:
    """The readable breakdown: the command, each token with its documentation, the risk."""
    # the command may come from the model and the docs from man pages (backspace overstrike):
    # every line is shown through render.visible
    show = render.visible
    typer.echo(show(result["command"]))
    for part in result["parts"]:
        if part["utility"] == "shell":
            for it in part["items"]:
                typer.echo(show(f"  {it['token']:<10} {it['doc']}"))
            continue
        typer.echo(
            show(
                f"  {part['utility']}  [{part['source']}]"
                + (f"  ({part['note']})" if part.get("note") else "")
            )
        )
        for it in part["items"]:
            arg = f" {it['argument']}" if it.get("argument") else ""
            doc = it["doc"] or "(not found in the documentation)"
            typer.echo(show(f"    {it['token'] + arg:<16} {doc}"))
    typer.echo(
        f"risk: {result['risk']}" + (" — REFUSED by the guard" if result["hard_reject"] else "")
    )
    for reason in result["reasons"]:
        typer.echo(f"  - {show(reason)}")
    if result.get("summary"):
        typer.echo(f"\nsummary: {show(result['summary'])}")


def _summary(result: dict, p: paths.Paths, verbose: bool) -> str | None:
    """A short summary written only from the excerpts, when a real model is available."""
    cfg = Config(p.config_file)
    try:
        choice = wiring.resolve_backend(None, p, cfg, dict(os.environ))
        if choice.backend == "mock":
            return None
        backend, _ = wiring.build_backend(choice, p, cfg, snapshots=False)
    except IntentError as exc:
        if verbose:
            render.note(f"no summary: {exc.message}")
        return None
    try:
        with render.Spinner("summarising…", enabled=True):
            c = backend.complete(
                explain_mod.summary_messages(result), explain_mod.SUMMARY_SCHEMA, max_tokens=220
            )
        import json

        return str(json.loads(c.text)["summary"]).strip()
    except (IntentError, ValueError, KeyError, TypeError) as exc:
        if verbose:
            render.note(f"no summary: {exc}")
        return None
    finally:
        backend.close()
