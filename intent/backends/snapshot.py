"""KV snapshots: the system prompt's KV cache saved once, restored by later invocations.

Key: sha256 of (model identity, llama.cpp build, context size, cache flags, the exact system
message — the system prompt and this machine's OS, shell and utilities — and the schema). A snapshot from another model, build or prompt has another key and is
never used. A restore that fails, or that helps nothing (`cache_n` 0), is recorded so that the
model is not tried again. Files are written by llama-server under a temporary name and renamed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intent.errors import BackendUnavailable
from intent.llamacpp import gguf
from intent.reply import schema
from intent.settings.config import Config
from intent.settings.paths import Paths

if TYPE_CHECKING:
    from intent.backends.llama_server import LlamaServer, ServerOptions
    from intent.llamacpp.find import Probe
    from intent.models.catalog import Resolved


def model_identity(model: Resolved) -> str:
    if model.entry is not None and model.entry.sha256:
        return model.entry.sha256
    st = model.path.stat()
    return f"{model.path.resolve()}:{st.st_size}:{st.st_mtime_ns}"


def build_identity(binary: Path, probe: Probe) -> str:
    st = binary.stat()
    return f"{probe.version}:{probe.build}:{st.st_size}:{st.st_mtime_ns}"


def snapshot_key(
    *,
    model_id: str,
    build_id: str,
    ctx_size: int,
    cache_flags: list[str],
    system_prompt: str,
    response_schema: dict[str, Any],
) -> str:
    material = json.dumps(
        {
            "model": model_id,
            "build": build_id,
            "ctx": ctx_size,
            "flags": sorted(cache_flags),
            "prompt": system_prompt,
            "schema": response_schema,
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()[:32]


@dataclass
class Snapshots:
    """Restores after the server is ready; saves after the first answer when none exists."""

    dir: Path
    key: str
    model_id: str
    max_bytes: int
    notes: list[str] = field(default_factory=list)
    restored: bool = False
    restore_ms: float = 0.0
    saved: bool = False
    checked: bool = False

    @property
    def file(self) -> Path:
        return self.dir / f"{self.key}.bin"

    @property
    def sidecar(self) -> Path:
        return self.dir / f"{self.key}.json"

    @property
    def failures(self) -> Path:
        return self.dir / "failed.json"

    def model_failed(self) -> bool:
        try:
            return self.model_id in json.loads(self.failures.read_text())
        except (OSError, ValueError):
            return False

    def record_failure(self, why: str) -> None:
        try:
            data = json.loads(self.failures.read_text())
        except (OSError, ValueError):
            data = {}
        data[self.model_id] = why
        self.failures.write_text(json.dumps(data))
        self.notes.append(f"KV snapshot disabled for this model: {why}")

    def usable(self) -> bool:
        if not self.file.exists() or not self.sidecar.exists():
            return False
        try:
            meta = json.loads(self.sidecar.read_text())
        except ValueError:
            self.notes.append(f"warning: ignoring corrupt KV snapshot sidecar {self.sidecar.name}")
            return False
        if meta.get("key") != self.key or meta.get("size") != self.file.stat().st_size:
            self.notes.append(
                f"warning: ignoring corrupt KV snapshot {self.file.name} (size or key differs)"
            )
            return False
        return True

    def on_ready(self, server: LlamaServer) -> None:
        if self.model_failed() or not self.usable():
            return
        started = time.monotonic()
        try:
            server.post("/slots/0?action=restore", {"filename": self.file.name}, timeout=30)
        except BackendUnavailable as exc:
            self.notes.append(f"warning: KV snapshot not restored ({exc.message.splitlines()[0]})")
            if server.proc is None or server.proc.poll() is not None:
                raise
            return
        self.restored = True
        self.restore_ms = (time.monotonic() - started) * 1000
        os.utime(self.file)

    def after_complete(self, server: LlamaServer, timings: dict[str, Any]) -> None:
        if not self.checked:
            self.checked = True
            if self.restored and not timings.get("cache_n"):
                self.record_failure("restored, but the server reused nothing (cache_n 0)")
                return
        if self.restored or self.saved or self.model_failed() or self.usable():
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp_name = f".{self.key}.{os.getpid()}.tmp"
        try:
            server.post("/slots/0?action=save", {"filename": tmp_name}, timeout=60)
        except BackendUnavailable as exc:
            self.notes.append(f"warning: KV snapshot not saved ({exc.message.splitlines()[0]})")
            (self.dir / tmp_name).unlink(missing_ok=True)
            return
        tmp = self.dir / tmp_name
        if not tmp.exists():
            return
        os.replace(tmp, self.file)
        self.sidecar.write_text(
            json.dumps(
                {
                    "key": self.key,
                    "size": self.file.stat().st_size,
                    "model": self.model_id,
                    "saved": time.time(),
                }
            )
        )
        self.saved = True
        prune(self.dir, self.max_bytes, keep=self.file)


def prune(directory: Path, max_bytes: int, *, keep: Path | None = None) -> None:
    files = sorted(directory.glob("*.bin"), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in files)
    for f in files:
        if total <= max_bytes:
            break
        if f == keep:
            continue
        total -= f.stat().st_size
        f.unlink(missing_ok=True)
        f.with_suffix(".json").unlink(missing_ok=True)


def prepare(
    options: ServerOptions,
    paths: Paths,
    config: Config,
    model: Resolved,
    probe: Probe,
    system_prompt: str,
) -> Snapshots | None:
    """Decide from the GGUF header whether snapshots can work; adjust the server's flags.
    `system_prompt` is the byte-stable system message the snapshot holds (turn/prompt.py)."""
    try:
        header = gguf.read_header(options.model)
    except (OSError, gguf.NotGGUF):
        return None
    if header.attention == "hybrid":
        return None
    if not probe.supports("--slot-save-path"):
        return None
    cache_flags = []
    if header.attention == "sliding":
        if not probe.supports("--swa-full"):
            return None
        cache_flags.append("--swa-full")
    kv_dir = paths.kv_dir
    kv_dir.mkdir(parents=True, exist_ok=True)
    options.extra_args += [*cache_flags, "--slot-save-path", str(kv_dir)]
    key = snapshot_key(
        model_id=model_identity(model),
        build_id=build_identity(options.binary, probe),
        ctx_size=options.ctx_size,
        cache_flags=[*cache_flags, *(a for a in options.load_args if a == "--no-repack")],
        system_prompt=system_prompt,
        response_schema=schema.RESPONSE_SCHEMA,
    )
    return Snapshots(
        kv_dir, key, model_identity(model), config.get("kv_cache_max_mb") * 1024 * 1024
    )
