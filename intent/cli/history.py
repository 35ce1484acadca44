"""`i history [list|show ID|clear]` and `i fix`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from intent.cli import render
from intent.redact import redact_obj
from intent.run import audit
from intent.settings import paths

app = typer.Typer(help="Read the audit log.", invoke_without_command=True)


@app.callback()
def main(ctx: typer.Context, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Read the audit log (default: list)."""
    if ctx.invoked_subcommand is None:
        list_(limit=20, json_out=json_out)


@app.command("list")
def list_(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The most recent turns."""
    # records from before a redaction rule existed are masked on the way out too
    records = redact_obj(audit.read(paths.resolve().audit_log)[-limit:])
    if json_out:
        render.emit_json(records)
        return
    if not records:
        render.note("no history yet")
    for r in records:
        cmd = r.get("executed_command") or (r.get("response") or {}).get("command") or ""
        # the log holds model text: shown escaped, so a replayed turn cannot drive the terminal
        render.echo(
            render.visible(
                f"{r.get('id')}  {r.get('decision', '?'):9}  exit={r.get('exit_code')}  "
                f"{str(r.get('prompt', ''))[:50]!r}  {str(cmd)[:60]}"
            )
        )


@app.command("show")
def show(ident: str) -> None:
    """One turn in full."""
    record = redact_obj(audit.find(paths.resolve().audit_log, ident))
    if record is None:
        render.error(f"no turn with id {ident!r}; see `i history list`.")  # escaped by error()
        raise typer.Exit(1)
    render.echo(render.visible(json.dumps(record, indent=2, ensure_ascii=False), newlines=True))


@app.command("clear")
def clear() -> None:
    """Delete the audit log."""
    n = audit.clear(paths.resolve().audit_log)
    render.note(f"removed {n} record(s)")


def fix(
    yes: Annotated[bool, typer.Option("--yes", "-y")] = False,
    dry: Annotated[bool, typer.Option("--dry")] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Retry the last failed command, with its exit code and stderr as context."""
    from intent.app.ask import Request
    from intent.cli import ask

    record = audit.last_failed(paths.resolve().audit_log)
    if record is None:
        render.error("no failed command in the history to fix.")
        raise typer.Exit(1)
    prompt = (
        f"The command `{record['executed_command']}` (for: {record.get('prompt', '')!r}) "
        f"failed with exit code {record.get('exit_code')}. Its stderr ended with:\n"
        f"{(record.get('stderr') or '(empty)')[-800:]}\nPropose a corrected command."
    )
    request = Request(prompt, yes=yes, dry=dry, json=json_out, verbose=verbose, no_cache=True)
    raise typer.Exit(ask.run(request))
