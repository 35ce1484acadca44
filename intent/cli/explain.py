"""`i explain CMD...`."""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from typing import Annotated, Any

import typer

from intent.app import wiring
from intent.cli import render
from intent.errors import IntentError
from intent.explain import summary as summary_mod
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
    full: Annotated[
        bool, typer.Option("--full", help="Whole documentation paragraphs, not first sentences.")
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
    print_breakdown(result, full=full)


def print_breakdown(result: dict[str, Any], *, full: bool = False) -> None:
    """The readable breakdown: the command, each token with its documentation, the risk."""
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    for line in breakdown_lines(result, width=width, full=full, colour=colour):
        render.echo(line)


# the command's parts and their explanations share a colour, as on explainshell
PALETTE = ("36", "33", "32", "35", "34", "31")
LABEL = 18  # the column where explanations start


def breakdown_lines(result: dict[str, Any], *, width: int, full: bool, colour: bool) -> list[str]:
    """The breakdown as lines no wider than `width`: each token (with its argument) in a
    column, its documentation wrapped with a hanging indent; the first sentence unless `full`."""
    width = max(width, LABEL + 20)
    items = [(part, it) for part in result["parts"] for it in part["items"]]
    shades = {id(it): PALETTE[n % len(PALETTE)] for n, (_, it) in enumerate(items)}

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    # the command once, each explained token in its colour
    shown = render.visible(result["command"])
    if colour:
        for _, it in items:
            token = render.visible(it["token"])
            painted = paint(token, shades[id(it)]).replace("\\", "\\\\")
            shown = re.sub(rf"(?<= ){re.escape(token)}(?= |$)", painted, shown, count=1)
    lines = [shown]
    for part in result["parts"]:
        if part["utility"] != "shell":
            note = f"  ({part['note']})" if part.get("note") else ""
            lines.append(f"  {part['utility']}  [{part['source']}]{note}")
        for it in part["items"]:
            label = render.visible(it["token"])
            if it.get("argument"):
                label += " " + render.visible(it["argument"])
            doc = (it["doc"] if full else it.get("brief") or it["doc"]) or (
                "(not found in the documentation)"
            )
            wrapped = textwrap.wrap(render.visible(doc), width - LABEL) or [""]
            head = f"    {label}"
            if len(head) >= LABEL - 1:
                lines.append(paint(head, shades[id(it)]))
                head = ""
            lines.append(
                paint(head.ljust(LABEL), shades[id(it)]) + wrapped[0]
                if head
                else " " * LABEL + wrapped[0]
            )
            lines += [" " * LABEL + rest for rest in wrapped[1:]]
    lines.append(
        f"risk: {result['risk']}" + (" — REFUSED by the guard" if result["hard_reject"] else "")
    )
    lines += [f"  - {render.visible(reason)}" for reason in result["reasons"]]
    if result.get("summary"):
        lines += [
            "",
            *textwrap.wrap(
                f"summary: {render.visible(result['summary'])}", width, subsequent_indent="  "
            ),
        ]
    return lines


def _summary(result: dict[str, Any], p: paths.Paths, verbose: bool) -> str | None:
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
                summary_mod.summary_messages(result), summary_mod.SUMMARY_SCHEMA, max_tokens=220
            )
        import json

        return str(json.loads(c.text)["summary"]).strip()
    except (IntentError, ValueError, KeyError, TypeError) as exc:
        if verbose:
            render.note(f"no summary: {exc}")
        return None
    finally:
        backend.close()
