"""Find llama.cpp binaries and learn what they support.

`find_binary()` says where a binary came from, so doctor and `-v` can explain themselves.
Probes (`--version`, `--help`) run once per binary and are cached by path, size and mtime.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from intent import process
from intent.errors import RuntimeMissing
from intent.settings.config import Config
from intent.settings.paths import Paths

SERVER = "llama-server"
ONE_SHOT = "llama-completion"
LEGACY_CLI = "llama-cli"

_ENV = {SERVER: "INTENT_LLAMA_SERVER", ONE_SHOT: "INTENT_LLAMA_COMPLETION"}
_CONFIG = {SERVER: "runtime.llama_server", ONE_SHOT: "runtime.llama_completion"}


@dataclass(frozen=True)
class Found:
    path: Path
    source: str  # config | env | managed | PATH


@dataclass(frozen=True)
class Probe:
    version: str
    build: str
    flags: frozenset[str] = field(default_factory=frozenset)
    legacy_cli: bool = False
    devices: tuple[str, ...] | None = None  # from --list-devices; None: it cannot say

    def supports(self, flag: str) -> bool:
        return flag in self.flags

    @property
    def gpu(self) -> bool:
        """Whether the binary may offload to a GPU (unknown counts as yes)."""
        return self.devices is None or bool(self.devices)

    def load_args(self, *, repack: bool) -> list[str]:
        """Flags that make a one-request process start sooner, where the binary has them.

        Each start is paid on every invocation, so: no warm-up run (the first request warms
        it), no memory fitting (it reads the model an extra time to plan GPU offload; skipped
        only without a GPU), and no weight repacking unless asked (it copies about half the
        model into new memory at every start). Figures: docs/performance.md.
        """
        args = []
        if self.supports("--no-warmup"):
            args.append("--no-warmup")
        if self.supports("--fit") and not self.gpu:
            args += ["--fit", "off"]
        if self.supports("--no-repack") and not repack:
            args.append("--no-repack")
        return args


def managed_bin(paths: Paths) -> Path:
    return paths.runtime_dir / "bin"


def _candidates(name: str, paths: Paths, config: Config, env: dict[str, str]) -> list[Found]:
    found: list[Found] = []
    if name in _CONFIG and config.get(_CONFIG[name]):
        found.append(Found(Path(config.get(_CONFIG[name])).expanduser(), "config"))
    if name in _ENV and env.get(_ENV[name]):
        found.append(Found(Path(env[_ENV[name]]).expanduser(), "env"))
    found.append(Found(managed_bin(paths) / name, "managed"))
    on_path = shutil.which(name, path=env.get("PATH"))
    if on_path:
        found.append(Found(Path(on_path), "PATH"))
    return found


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_binary(
    name: str, paths: Paths, config: Config, env: dict[str, str] | None = None
) -> Found | None:
    """The first usable binary in the order config → env → managed runtime → $PATH.

    A path named explicitly (config or env) that does not exist is not skipped silently:
    it is returned, so the caller reports it instead of running something else.
    """
    env = dict(os.environ) if env is None else env
    for cand in _candidates(name, paths, config, env):
        if cand.source in ("config", "env") or _usable(cand.path):
            return cand
    return None


def require(name: str, paths: Paths, config: Config, env: dict[str, str] | None = None) -> Found:
    found = find_binary(name, paths, config, env)
    if found is None:
        raise RuntimeMissing(
            f"{name} was not found (looked in: config, {_ENV.get(name, 'env')}, managed runtime, PATH).",
            hint="Run `i runtime install`.",
        )
    if not _usable(found.path):
        raise RuntimeMissing(
            f"{name} from {found.source} is not an executable file: {found.path}.",
            hint="Fix the path or run `i runtime install`.",
        )
    return found


def find_one_shot(paths: Paths, config: Config, env: dict[str, str] | None = None) -> Found | None:
    """llama-completion, else a legacy llama-cli that still has --no-conversation."""
    found = find_binary(ONE_SHOT, paths, config, env)
    if found is not None:
        return found
    legacy = find_binary(LEGACY_CLI, paths, config, env)
    if legacy is not None and probe(legacy.path, paths).legacy_cli:
        return legacy
    return None


_FLAG = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


def parse_devices(text: str) -> tuple[str, ...] | None:
    """The devices `--list-devices` names (`  CUDA0: NVIDIA ...`); () for `(none)`."""
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if line.strip().lower() == "available devices:"]
    if not heads:
        return None
    found = []
    for line in lines[heads[-1] + 1 :]:
        item = line.strip()
        if not item or item == "(none)":
            continue
        found.append(item)
    return tuple(found)


def probe(path: Path, paths: Paths) -> Probe:
    """Version and flags of a binary, cached by path, size and mtime."""
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    cache_file = paths.cache_dir / "probes.json"
    try:
        cache = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    entry = cache.get(key)
    if entry is not None and "devices" in entry:
        return Probe(
            entry["version"],
            entry["build"],
            frozenset(entry["flags"]),
            entry["legacy_cli"],
            None if entry["devices"] is None else tuple(entry["devices"]),
        )
    version = process.run([str(path), "--version"], timeout=15)
    helptext = process.run([str(path), "--help"], timeout=15)
    text = version.stdout + version.stderr
    match = re.search(r"version:\s*(\S+)(?:\s*\((\w+)\))?", text)
    flags = frozenset(_FLAG.findall(helptext.stdout + helptext.stderr))
    devices = None
    if "--list-devices" in flags:
        listed = process.run([str(path), "--list-devices"], timeout=15)
        devices = parse_devices(listed.stdout + listed.stderr) if listed.returncode == 0 else None
    result = Probe(
        version=match.group(1) if match else "unknown",
        build=(match.group(2) or "") if match else "",
        flags=flags,
        legacy_cli="--no-conversation" in flags,
        devices=devices,
    )
    entry = asdict(result) | {"flags": sorted(flags)}
    cache = {k: v for k, v in cache.items() if not k.startswith(f"{path.resolve()}:")} | {
        key: entry
    }
    try:
        paths.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache))
        os.replace(tmp, cache_file)
    except OSError:
        pass
    return result


def status(paths: Paths, config: Config, env: dict[str, str] | None = None) -> dict[str, Any]:
    """What `i runtime status --json` prints."""
    out: dict[str, Any] = {"managed_dir": str(paths.runtime_dir), "binaries": {}}
    for name in (SERVER, ONE_SHOT):
        found = (
            find_one_shot(paths, config, env)
            if name == ONE_SHOT
            else find_binary(name, paths, config, env)
        )
        if found is None or not _usable(found.path):
            out["binaries"][name] = {
                "found": False,
                "path": str(found.path) if found else None,
                "source": found.source if found else None,
            }
            continue
        p = probe(found.path, paths)
        out["binaries"][name] = {
            "found": True,
            "path": str(found.path),
            "source": found.source,
            "version": p.version,
            "build": p.build,
        }
    info = paths.runtime_dir / "build.json"
    if info.exists():
        try:
            out["install"] = json.loads(info.read_text())
        except ValueError:
            pass
    return out
