"""The ollama backend and `auto` finding running servers: unit checks on a fake transport, and
a real `i` process against a loopback Ollama-compatible server with no llama.cpp installed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import httpx
import pytest
from conftest import command_reply
from fake_llm import FakeServer, ollama_route

from intent.app import servers, wiring
from intent.backends import ollama
from intent.errors import BackendUnavailable
from intent.settings import paths
from intent.settings.config import Config

REPLY = command_reply("ls -la")


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("", "http://127.0.0.1:11434"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        (":11500", "http://127.0.0.1:11500"),
        ("gpu-box:8000", "http://gpu-box:8000"),
        ("https://ollama.example.com:443/", "https://ollama.example.com:443"),
    ],
)
def test_ollama_host_forms(given: str, url: str) -> None:
    env = {"OLLAMA_HOST": given} if given else {}
    assert ollama.host_url(env, "")[0] == url


def test_config_when_ollama_host_is_unset() -> None:
    assert ollama.host_url({}, "http://box:1234") == ("http://box:1234", "ollama.base_url")


def tags(*names: str) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda req: httpx.Response(200, json={"models": [{"name": n} for n in names]})
    )


def test_a_short_name_means_latest() -> None:
    b = ollama.make("http://o", "llama3.2", True, transport=tags("llama3.2:latest"))
    assert b.model == "llama3.2:latest" and b.base_url == "http://o/v1" and b.name == "ollama"


def test_a_missing_model_lists_what_is_installed_and_the_pull() -> None:
    with pytest.raises(BackendUnavailable) as info:
        ollama.make("http://o", "qwen3:4b", True, transport=tags("llama3.2:latest", "phi4:14b"))
    assert "installed: llama3.2:latest, phi4:14b" in info.value.message
    assert "ollama pull qwen3:4b" in (info.value.hint or "")
    assert info.value.exit_code == 3 and "\n" not in info.value.message


def test_not_running_says_how_to_start_it() -> None:
    def refuse(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(BackendUnavailable) as info:
        ollama.installed("http://o", transport=httpx.MockTransport(refuse))
    assert "ollama serve" in (info.value.hint or "")


def test_model_flag_and_env_name_the_remote_model(intent_home: Path) -> None:
    cfg = Config(intent_home / "none.toml", raw={"openai.model": "from-config"})
    assert servers.remote_model("flag-m", cfg, {"INTENT_MODEL": "env-m"}, "openai.model")[0] == (
        "flag-m"
    )
    assert servers.remote_model(None, cfg, {"INTENT_MODEL": "env-m"}, "openai.model")[0] == "env-m"
    assert servers.remote_model(None, cfg, {}, "openai.model") == (
        "from-config",
        "openai.model",
        True,
    )


def test_auto_prefers_a_configured_openai_url_then_ollama(intent_home: Path) -> None:
    p = paths.resolve({"INTENT_HOME": str(intent_home)})

    def handler(req: httpx.Request) -> httpx.Response:
        if req.url.host == "ollama.local" and req.url.path == "/api/tags":
            return httpx.Response(200, json={"models": []})
        if req.url.host == "vllm.local" and req.url.path == "/v1/models":
            return httpx.Response(200, json={"data": []})
        raise httpx.ConnectError("refused")

    transport = httpx.MockTransport(handler)
    env = {"OLLAMA_HOST": "ollama.local:11434"}
    plain = Config(intent_home / "none.toml", raw={})
    found = servers.find_running(p, plain, env, transport=transport)
    assert found == ("ollama", "auto: Ollama answers at http://ollama.local:11434 (OLLAMA_HOST)")
    configured = Config(intent_home / "c.toml", raw={"openai.base_url": "http://vllm.local:8000"})
    found = servers.find_running(p, configured, env, transport=transport)
    assert found is not None and found[0] == "openai" and "vllm.local:8000/v1" in found[1]


def test_auto_falls_through_to_the_mock_when_nothing_answers(intent_home: Path) -> None:
    p = paths.resolve({"INTENT_HOME": str(intent_home)})
    cfg = Config(p.config_file, raw={})
    choice = wiring.resolve_backend(None, p, cfg, {"OLLAMA_HOST": "127.0.0.1:9", "PATH": ""})
    assert choice.backend == "mock" and "no server answers" in choice.source


# -- a real `i` against a loopback Ollama ---------------------------------------------------


@pytest.fixture
def no_llama_env(tmp_path: Path) -> dict[str, str]:
    """PATH without any llama.cpp binary, but with `i` (doctor checks it is on PATH)."""
    bin_dir = str(Path(sys.executable).parent)
    assert not any((Path(bin_dir) / n).exists() for n in ("llama-server", "llama-completion"))
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "SHELL": "/bin/sh"}


def test_auto_answers_through_ollama_without_llama_cpp(run_i, no_llama_env) -> None:
    with FakeServer(ollama_route(["qwen2.5-coder:1.5b"], REPLY)) as server:
        env = no_llama_env | {"OLLAMA_HOST": server.url}
        r = run_i("--dry", "-v", "list files", env=env)
        assert r.code == 0, r.stderr
        assert "ls -la" in r.stderr + r.stdout
        assert f"backend: ollama (auto: Ollama answers at {server.url} (OLLAMA_HOST))" in r.stderr
        chats = [body for method, path, body in server.seen if path == "/v1/chat/completions"]
        assert chats and chats[0]["model"] == "qwen2.5-coder:1.5b"
        j = run_i("--dry", "--json", "list files", env=env).json()
        assert j["backend"] == "ollama" and j["model"] == "qwen2.5-coder:1.5b"


def test_doctor_passes_against_ollama(run_i, no_llama_env) -> None:
    with FakeServer(ollama_route(["qwen2.5-coder:1.5b"], {"stdout_to_user": "hi"})) as server:
        r = run_i("doctor", env=no_llama_env | {"OLLAMA_HOST": server.url})
    assert r.code == 0, r.stdout + r.stderr
    assert "backend: ollama (auto: Ollama answers at" in r.stdout
    assert "live request: qwen2.5-coder:1.5b: schema-valid answer in" in r.stdout
    assert "llama-server" not in r.stdout  # a running server needs no local runtime


def test_model_flag_is_honoured_and_a_missing_one_explained(run_i, no_llama_env) -> None:
    with FakeServer(ollama_route(["qwen2.5-coder:1.5b", "llama3.2:latest"], REPLY)) as server:
        env = no_llama_env | {"OLLAMA_HOST": server.url}
        r = run_i("--backend", "ollama", "--model", "llama3.2", "--dry", "list files", env=env)
        assert r.code == 0, r.stderr
        chats = [body for method, path, body in server.seen if path == "/v1/chat/completions"]
        assert chats[-1]["model"] == "llama3.2:latest"
        r = run_i("--backend", "ollama", "--dry", "list files", env=env | {"INTENT_MODEL": "x:1b"})
        assert r.code == 3
        assert "installed: qwen2.5-coder:1.5b, llama3.2:latest" in r.stderr
        assert "ollama pull x:1b" in r.stderr


def test_model_list_shows_the_servers_models(run_i, no_llama_env) -> None:
    with FakeServer(ollama_route(["qwen2.5-coder:1.5b", "phi4:14b"], REPLY)) as server:
        env = no_llama_env | {"OLLAMA_HOST": server.url, "INTENT_BACKEND": "ollama"}
        r = run_i("model", "list", env=env)
        rows = json.loads(run_i("model", "list", "--json", env=env).stdout)
    assert r.code == 0, r.stderr
    assert "* qwen2.5-coder:1.5b" in r.stdout and "phi4:14b" in r.stdout
    assert [row["id"] for row in rows] == ["qwen2.5-coder:1.5b", "phi4:14b"]


def test_openai_backend_honours_intent_model(run_i, no_llama_env, intent_home: Path) -> None:
    with FakeServer(ollama_route(["served"], REPLY)) as server:
        cfg = intent_home / "config" / "config.toml"
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text(f'backend = "openai"\n[openai]\nbase_url = "{server.url}"\n')
        r = run_i("--dry", "list files", env=no_llama_env | {"INTENT_MODEL": "served"})
        assert r.code == 0, r.stderr
        chats = [body for method, path, body in server.seen if path == "/v1/chat/completions"]
        assert chats[0]["model"] == "served"


@pytest.mark.skipif(os.name != "posix", reason="loopback server")
def test_a_base_url_on_the_wrong_path_says_which_url(run_i, no_llama_env, intent_home) -> None:
    with FakeServer(ollama_route(["served"], REPLY)) as server:
        cfg = intent_home / "config" / "config.toml"
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text(f'backend = "openai"\n[openai]\nbase_url = "{server.url}/api"\n')
        r = run_i("--dry", "--model", "served", "list files", env=no_llama_env)
    assert r.code == 3
    assert f"{server.url}/api/chat/completions was not found" in r.stderr


def test_a_busy_server_is_waited_out_visibly(run_i, no_llama_env) -> None:
    inner = ollama_route(["qwen2.5-coder:1.5b"], REPLY)
    busy = [True]

    def route(method: str, path: str, body: dict):
        if path == "/v1/chat/completions" and busy:
            busy.pop()  # the first chat request only
            return 429, {"retry-after": "0"}, b'{"error": "rate limited"}'
        return inner(method, path, body)

    with FakeServer(route) as server:
        env = no_llama_env | {"OLLAMA_HOST": server.url, "INTENT_BACKEND": "ollama"}
        r = run_i("--dry", "list files", env=env)
    host = server.url.split("//")[1]
    assert r.code == 0, r.stderr
    assert f"waiting 0 s: HTTP 429 from {host}" in r.stderr


def test_a_page_instead_of_json_is_exit_3(run_i, no_llama_env, intent_home: Path) -> None:
    def route(method: str, path: str, body: dict):
        return 200, {"content-type": "text/html"}, b"<!doctype html><title>Router login</title>"

    with FakeServer(route) as server:
        cfg = intent_home / "config" / "config.toml"
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text(f'backend = "openai"\n[openai]\nbase_url = "{server.url}"\nmodel = "m"\n')
        r = run_i("--dry", "list files", env=no_llama_env)
    assert r.code == 3, r.stderr
    assert "not with JSON: b'<!doctype html><title>Router login" in r.stderr


def test_doctor_names_the_fix_when_the_server_is_down(run_i, no_llama_env) -> None:
    r = run_i("doctor", "--json", env=no_llama_env | {"INTENT_BACKEND": "ollama"})
    assert r.code == 1
    checks = {c["name"]: c for c in r.json()["checks"]}
    assert not checks["server"]["ok"] and "ollama serve" in checks["server"]["fix"]
    assert "llama-server" not in checks and not checks["live request"]["ok"]
