"""The backend registry (app/wiring.py `REGISTRY`): every backend name is defined once
(vocab.BackendName), has one entry, and what the user sees about backends (config validation,
`--backend` help, the failover notice, the breaker's memory) is read from there."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from intent import vocab
from intent.app import wiring
from intent.errors import UsageError
from intent.settings.config import KEYS, Config


def _config(tmp_path: Path, text: str = "") -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return Config(path)


def test_every_backend_name_has_one_entry() -> None:
    assert vocab.BACKEND_CHOICES == ("auto", *wiring.REGISTRY)
    assert set(wiring.REGISTRY) == set(vocab.BACKEND_CHOICES) - {"auto"}


def test_config_and_the_flag_take_exactly_the_registered_names(tmp_path: Path) -> None:
    assert KEYS["backend"].choices == vocab.BACKEND_CHOICES
    for name in vocab.BACKEND_CHOICES:
        assert wiring.requested_backend(name, _config(tmp_path), {})[0] == name
    with pytest.raises(UsageError, match="choose one of auto, llama-server, llama-cli, openai"):
        wiring.requested_backend("nope", _config(tmp_path), {})


def test_the_backend_flag_help_names_every_choice() -> None:
    from intent.cli import app

    option = typing.get_args(app.Backend)[1]
    assert option.help == "auto, llama-server, llama-cli, openai, ollama or mock."


@pytest.mark.parametrize(
    ("backend", "url", "rung", "answering"),
    [
        ("llama-server", "", "llama-server", "the local model"),
        ("llama-cli", "", "llama-completion", "the local model (one-shot)"),
        ("ollama", "", "Ollama", "Ollama"),
        ("openai", "", "remote server", "the remote server"),
        ("openai", "http://127.0.0.1:1234/v1", "the server at 127.0.0.1:1234", None),
        ("mock", "", "mock", "mock"),
    ],
)
def test_the_failover_notice_names_each_backend(
    backend: vocab.BackendName, url: str, rung: str, answering: str | None
) -> None:
    choice = wiring.Choice(backend, "test", url=url)
    assert wiring.label(choice) == rung
    assert wiring.label(choice, answering=True) == (answering or rung)


def test_the_breaker_remembers_servers_by_url_and_local_backends_by_name(tmp_path: Path) -> None:
    cfg = _config(tmp_path, '[openai]\nbase_url = "http://gpu.lan:8000/v1/"\n')
    key = wiring.breaker_key
    assert key(wiring.Choice("llama-server", "t"), cfg, {}) == "llama-server"
    assert key(wiring.Choice("openai", "t"), cfg, {}) == "openai http://gpu.lan:8000/v1"
    found = wiring.Choice("openai", "t", url="http://127.0.0.1:8080/v1")
    assert key(found, cfg, {}) == "openai http://127.0.0.1:8080/v1"
    ollama = key(wiring.Choice("ollama", "t"), cfg, {"OLLAMA_HOST": "box:11434"})
    assert ollama == "ollama http://box:11434"


def test_only_the_running_servers_are_remote() -> None:
    remote = {name for name, entry in wiring.REGISTRY.items() if entry.server is not None}
    assert remote == {"openai", "ollama"}


def test_the_mock_never_fails_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intent.backends.failover import Failover
    from intent.settings import paths

    script = tmp_path / "script.json"
    script.write_text("[]")
    cfg = _config(tmp_path, "failover = true\n")
    p = paths.resolve()
    env = {"INTENT_MOCK_SCRIPT": str(script)}
    backend, model = wiring.build_backend(wiring.Choice("mock", "t"), p, cfg, env)
    assert model == "mock" and not isinstance(backend, Failover)
    with pytest.raises(UsageError, match="needs INTENT_MOCK_SCRIPT"):
        wiring.build_backend(wiring.Choice("mock", "t"), p, cfg, {})
