"""KV snapshots: keys that never mix models, builds or prompts; corrupt files ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intent.backends import snapshot
from intent.errors import BackendUnavailable
from intent.reply import schema
from intent.turn import prompt

BASE = {
    "model_id": "m1",
    "build_id": "b1",
    "ctx_size": 4096,
    "cache_flags": [],
    "system_prompt": prompt.SYSTEM_PROMPT,
    "response_schema": schema.RESPONSE_SCHEMA,
}


@pytest.mark.parametrize(
    "change",
    [
        {"model_id": "m2"},
        {"build_id": "b2"},
        {"ctx_size": 8192},
        {"cache_flags": ["--swa-full"]},
        {"system_prompt": prompt.SYSTEM_PROMPT + " "},
        {"response_schema": {"type": "object"}},
    ],
)
def test_every_ingredient_changes_the_key(change: dict) -> None:
    assert snapshot.snapshot_key(**BASE) != snapshot.snapshot_key(**{**BASE, **change})


class FakeServer:
    def __init__(self, fail: bool = False) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.fail = fail
        self.proc = self

    def poll(self) -> None:
        return None

    def post(self, path: str, payload: dict, *, timeout: float | None = None) -> dict:
        self.posts.append((path, payload))
        if self.fail:
            raise BackendUnavailable("llama-server answered HTTP 400: failed to restore")
        return {}


def snaps(tmp_path: Path, key: str, model: str = "m1") -> snapshot.Snapshots:
    return snapshot.Snapshots(tmp_path, key, model, 1 << 30)


def write_snapshot(tmp_path: Path, key: str, data: bytes = b"kv" * 100) -> None:
    (tmp_path / f"{key}.bin").write_bytes(data)
    (tmp_path / f"{key}.json").write_text(
        json.dumps({"key": key, "size": len(data), "model": "m1"})
    )


def test_a_snapshot_of_another_key_is_never_restored(tmp_path: Path) -> None:
    write_snapshot(tmp_path, "other-model-or-build-or-prompt")
    server = FakeServer()
    snaps(tmp_path, "ours").on_ready(server)  # type: ignore[arg-type]
    assert server.posts == []


def test_matching_snapshot_is_restored(tmp_path: Path) -> None:
    write_snapshot(tmp_path, "ours")
    server = FakeServer()
    s = snaps(tmp_path, "ours")
    s.on_ready(server)  # type: ignore[arg-type]
    assert server.posts == [("/slots/0?action=restore", {"filename": "ours.bin"})] and s.restored


def test_corrupt_snapshot_is_ignored_with_a_warning(tmp_path: Path) -> None:
    write_snapshot(tmp_path, "ours")
    (tmp_path / "ours.bin").write_bytes(b"truncated")
    server = FakeServer()
    s = snaps(tmp_path, "ours")
    s.on_ready(server)  # type: ignore[arg-type]
    assert server.posts == [] and any("corrupt" in n for n in s.notes)
    (tmp_path / "ours.json").write_text("{not json")
    s = snaps(tmp_path, "ours")
    s.on_ready(server)  # type: ignore[arg-type]
    assert server.posts == [] and any("corrupt" in n for n in s.notes)


def test_a_refused_restore_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    write_snapshot(tmp_path, "ours")
    s = snaps(tmp_path, "ours")
    s.on_ready(FakeServer(fail=True))  # type: ignore[arg-type]
    assert not s.restored and any("not restored" in n for n in s.notes)


def test_useless_restore_disables_the_model(tmp_path: Path) -> None:
    write_snapshot(tmp_path, "ours")
    s = snaps(tmp_path, "ours")
    server = FakeServer()
    s.on_ready(server)  # type: ignore[arg-type]
    s.after_complete(server, {"cache_n": 0})  # type: ignore[arg-type]
    assert s.model_failed()
    again = snaps(tmp_path, "ours")
    server2 = FakeServer()
    again.on_ready(server2)  # type: ignore[arg-type]
    assert server2.posts == []


def test_saved_once_under_a_temp_name_then_renamed(tmp_path: Path) -> None:
    class SavingServer(FakeServer):
        def post(self, path: str, payload: dict, *, timeout: float | None = None) -> dict:
            super().post(path, payload)
            if "save" in path:
                (tmp_path / payload["filename"]).write_bytes(b"x" * 10)
            return {}

    s = snaps(tmp_path, "k")
    server = SavingServer()
    s.after_complete(server, {"cache_n": 0})  # type: ignore[arg-type]
    assert s.saved and (tmp_path / "k.bin").read_bytes() == b"x" * 10
    assert server.posts[0][1]["filename"].startswith(".k.")
    s.after_complete(server, {"cache_n": 0})  # type: ignore[arg-type]
    assert len(server.posts) == 1


def test_prune_keeps_the_newest_under_the_cap(tmp_path: Path) -> None:
    import os
    import time

    for i, name in enumerate(("old", "mid", "new")):
        write_snapshot(tmp_path, name, b"z" * 100)
        os.utime(tmp_path / f"{name}.bin", (time.time() - 100 + i, time.time() - 100 + i))
    snapshot.prune(tmp_path, 250, keep=tmp_path / "new.bin")
    assert sorted(p.stem for p in tmp_path.glob("*.bin")) == ["mid", "new"]


def test_a_restore_that_kills_the_server_starts_it_again_without_snapshots(
    tmp_path: Path, monkeypatch
) -> None:
    from intent.backends import llama_server
    from intent.settings import paths

    write_snapshot(tmp_path, "ours")
    s = snaps(tmp_path, "ours")
    server = llama_server.LlamaServer(
        llama_server.ServerOptions(Path("/bin/true"), Path("m.gguf")), paths.resolve(), snapshots=s
    )
    starts: list[int] = []

    class Dead(FakeServer):
        def poll(self) -> int:  # type: ignore[override]
            return -9

    def fake_spawn() -> None:
        starts.append(1)
        server.proc = Dead() if len(starts) == 1 else FakeServer()  # type: ignore[assignment]

    monkeypatch.setattr(server, "_spawn", fake_spawn)
    monkeypatch.setattr(server, "_wait_ready", lambda started: None)
    monkeypatch.setattr(
        server, "post", lambda *a, **k: (_ for _ in ()).throw(BackendUnavailable("crashed"))
    )
    monkeypatch.setattr(
        server, "close", lambda: setattr(server, "proc", None) or setattr(server, "ready", False)
    )
    server.start()
    assert len(starts) == 2 and s.model_failed()
    assert any("stopped llama-server" in n for n in s.notes)


@pytest.mark.real
def test_prepare_reads_the_real_header_and_keys_on_load_flags(real_parts, tmp_path: Path) -> None:
    """Gemma 3 uses sliding-window attention: snapshots need --swa-full; repacking is keyed."""
    from intent.backends.llama_server import ServerOptions
    from intent.llamacpp import find as runtime
    from intent.models import catalog as models
    from intent.settings import paths
    from intent.settings.config import Config

    p = paths.resolve()
    probe = runtime.probe(real_parts.server, p)
    model = models.resolve(p, str(real_parts.model), "test")
    keys = []
    for load_args in (["--no-repack"], []):
        options = ServerOptions(real_parts.server, real_parts.model, load_args=load_args)
        s = snapshot.prepare(options, p, Config(p.config_file), model, probe, "system")
        assert s is not None
        assert "--swa-full" in options.extra_args and "--slot-save-path" in options.extra_args
        keys.append(s.key)
    assert keys[0] != keys[1]


def test_the_key_covers_the_machine_part_of_the_system_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another PATH lists other utilities in the system message: another snapshot."""
    first = prompt.system_message()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    second = prompt.system_message()
    assert first != second and "- available: unknown" in second
    keys = {snapshot.snapshot_key(**{**BASE, "system_prompt": text}) for text in (first, second)}
    assert len(keys) == 2
