"""`i doctor`."""

from __future__ import annotations

from typing import Annotated

import typer

from intent.app import doctor as doctor_mod
from intent.app.checks import Check
from intent.cli import render


def doctor(
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="Skip the live smoke test.")] = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Repair what is safe to repair (stale children, missing dirs)."),
    ] = False,
) -> None:
    """Diagnose the install and print a fix for every problem."""

    def show(c: Check) -> None:
        mark = render.paint("✓", "32") if c.ok else render.paint("✗", "31")
        render.echo(f"{mark} {c.name}: {c.detail}")
        if c.fix and (not c.ok or c.optional):
            render.echo(f"    fix: {c.fix}")

    checks = doctor_mod.run(quick=quick, fix=fix, on_check=None if json_out else show)
    ok = all(c.ok for c in checks)
    if json_out:
        render.emit_json({"ok": ok, "checks": [c.as_dict() for c in checks]})
    raise typer.Exit(0 if ok else 1)
