"""`i shell-report ID STATUS`: the shell function reports the exit status of a command it ran.

A command handed to the calling shell (run/handoff.py) leaves its audit record at
`outcome: handed`; this appends the outcome line (same id), which `audit.read` merges into the
turn, so `i history` and `i fix` see the status. Kept light (no Typer, no model code): the
function calls it after every command it runs.
"""

from __future__ import annotations

import re

from intent.run import audit
from intent.settings import paths

_ID = re.compile(r"^[0-9]{14}-[0-9a-f]{6}$")


def report(args: list[str]) -> int:
    """0 when the status was recorded; 2 for bad arguments; 1 when no handed turn has that id
    or the log cannot be written. Prints nothing: the shell's prompt comes next."""
    if len(args) != 2 or not _ID.match(args[0]) or not re.fullmatch(r"[0-9]{1,3}", args[1]):
        return 2
    ident, status = args[0], int(args[1])
    log = paths.resolve().audit_log
    record = audit.find(log, ident)
    if record is None or record.get("outcome") != "handed":
        return 1  # unknown, or already reported: a status is recorded once
    try:
        audit.append(log, {"id": ident, "outcome": "finished", "exit_code": status})
    except Exception:  # noqa: BLE001 - the shell's prompt must come back whatever happens
        return 1
    return 0
