"""The audit log: redacted JSON lines in `<state>/audit.jsonl` (mode 0600, directory 0700).

A turn that runs a command writes its record *before* the command starts and appends the
outcome (same `id`) after; `read()` merges the two, so `i history` shows one turn. If the
record cannot be written the command does not run (`AuditFailed`, exit 3).

Every line is written whole: text is made encodable first (lone surrogates and undecodable
argv bytes escaped visibly, never dropped), and a write that fails part-way (a full disk) is
cut back to where it started, so the next record is never glued to half of this one.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from intent.errors import AuditFailed
from intent.redact import redact_obj


def new_id() -> str:
    return time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


def encoded(text: str) -> str:
    """`text` with every surrogate escaped visibly: an undecodable argv byte (Python keeps it
    as U+DC80..U+DCFF) as `\\xNN`, any other lone surrogate as `\\uNNNN`."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def encoded_obj(value: Any) -> Any:
    if isinstance(value, str):
        return encoded(value)
    if isinstance(value, list | tuple):
        return [encoded_obj(v) for v in value]
    if isinstance(value, dict):
        return {encoded(str(k)): encoded_obj(v) for k, v in value.items()}
    return value


def append(path: Path, record: dict[str, Any]) -> None:
    """Write one record as one whole line, or raise AuditFailed (nothing partial is left)."""
    line = (json.dumps(redact_obj(encoded_obj(record)), ensure_ascii=False) + "\n").encode()
    try:
        _ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        os.fchmod(fd, 0o600)
        start = os.fstat(fd).st_size
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(28, "short write (is the disk full?)")
            os.fsync(fd)
        except OSError:
            # a half line would swallow the next record: cut the file back to where it was
            try:
                os.ftruncate(fd, start)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        os.close(fd)


def _ensure_private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if directory.stat().st_mode & 0o077:
        directory.chmod(0o700)


def _failed(path: Path, exc: OSError) -> AuditFailed:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        reason = f"{path.parent} (or a folder above it) is not a directory"
    return AuditFailed(
        f"could not write the audit log {path}: {reason}; nothing was run.",
        hint=f"Free disk space or make {path.parent} writable (or point INTENT_HOME elsewhere).",
    )


def read(path: Path) -> list[dict[str, Any]]:
    """One record per turn, in order: an outcome line is merged into its turn's record."""
    if not path.exists():
        return []
    turns: dict[str, dict[str, Any]] = {}
    loose: list[dict[str, Any]] = []
    # "\n" only: records are written with ensure_ascii=False, and splitlines() would also cut
    # a record at a U+2028 or NEL inside a command, and lose it from history and `i fix`
    for line in path.read_text(errors="replace").split("\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        ident = record.get("id")
        if isinstance(ident, str) and ident in turns:
            turns[ident].update(record)
        elif isinstance(ident, str):
            turns[ident] = record
        else:
            loose.append(record)
    return [*loose, *turns.values()]


def find(path: Path, ident: str) -> dict[str, Any] | None:
    for record in read(path)[::-1]:
        if record.get("id") == ident:
            return record
    return None


def last_failed(path: Path) -> dict[str, Any] | None:
    for record in read(path)[::-1]:
        if record.get("executed_command") and record.get("exit_code") not in (0, None):
            return record
    return None


def clear(path: Path) -> int:
    n = len(read(path))
    path.unlink(missing_ok=True)
    return n
