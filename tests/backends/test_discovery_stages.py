"""`auto` finding servers on their usual ports, and the spinner's stages while the built-in
llama-server starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import command_reply
from fake_bins import fake_completion, fake_model, fake_server
from fake_llm import FakeServer, sse

from intent.app import servers, wiring
from intent.reply.schema import RESPONSE_SCHEMA
from intent.settings import paths
from intent.settings.config import Config

REPLY = command_reply("ls")
JSON = {"content-type": "application/json"}


def openai_route(method: str, path: str, body: dict) -> tuple[int, dict[str, str], bytes]:
    if path == "/v1/models":
        return 200, JSON, json.dumps({"data": [{"id": "served"}]}).encode()
    if path == "/v1/chat/completions":
        text = json.dumps(REPLY)
        return 200, {"content-type": "text/event-stream"}, sse(text[:5], text[5:])
    return 404, JSON, b"{}"


@pytest.fixture
def on_a_usual_port(monkeypatch: pytest.MonkeyPatch):
    with FakeServer(openai_route) as found:
        port = int(found.url.rsplit(":", 1)[1])
        monkeypatch.setattr(servers, "USUAL_PORTS", (("nothing", 9), ("llama-server", port)))
        yield found


def test_auto_finds_a_server_on_a_usual_port_and_it_answers(on_a_usual_port) -> None:
    p = paths.resolve()
    config = Config(p.config_file, raw={})
    env = {"OLLAMA_HOST": "127.0.0.1:9"}
    choice = wiring.resolve_backend(None, p, config, env)
    assert choice.backend == "openai" and choice.url == on_a_usual_port.url + "/v1"
    assert "llama-server answers at" in choice.source and "usual port" in choice.source
    backend, model = wiring.build_backend(choice, p, config, env)
    assert model == "served"  # the server's own model, not openai.model's default
    done = backend.complete([{"role": "user", "content": "x"}], RESPONSE_SCHEMA, max_tokens=32)
    assert json.loads(done.text) == REPLY
    backend.close()


def test_a_found_server_never_wins_over_the_built_in_unless_preferred(
    on_a_usual_port, tmp_path: Path
) -> None:
    server, _ = fake_server(tmp_path / "bin", REPLY)
    env = {
        "OLLAMA_HOST": "127.0.0.1:9",
        "INTENT_LLAMA_SERVER": str(server),
        "INTENT_MODEL": str(fake_model(tmp_path)),
    }
    p = paths.resolve()
    assert wiring.resolve_backend(None, p, Config(p.config_file, raw={}), env).backend == (
        "llama-server"
    )
    prefer = Config(p.config_file, raw={"prefer_server": True})
    assert wiring.resolve_backend(None, p, prefer, env).backend == "openai"
    off = Config(p.config_file, raw={"discover": False})
    assert wiring.resolve_backend(None, p, off, {**env, "INTENT_LLAMA_SERVER": "/no"}).simulated


def test_discovery_probes_in_parallel_and_is_cached(monkeypatch, on_a_usual_port) -> None:
    p = paths.resolve()
    assert [what for what, _ in servers.discover(p)] == ["llama-server"]
    seen = len(on_a_usual_port.seen)
    assert [what for what, _ in servers.discover(p)] == ["llama-server"]
    assert len(on_a_usual_port.seen) == seen  # answered from the cache


def test_doctor_reports_what_runs_on_the_usual_ports(on_a_usual_port) -> None:
    from intent.app import doctor

    p = paths.resolve()
    wiring.breaker_for(p, Config(p.config_file, raw={})).trip("llama-server", "exit 1")
    check = doctor.check_servers(p, Config(p.config_file, raw={}))
    assert check.ok and f"llama-server at {on_a_usual_port.url}/v1" in check.detail
    assert "llama-server down until" in check.detail and "breaker.json" in (check.fix or "")


def test_the_spinner_is_told_each_stage_of_a_start(tmp_path: Path) -> None:
    from intent.backends.llama_server import LlamaServer, ServerOptions

    server, _ = fake_server(tmp_path / "bin", REPLY, load_s=0.4)
    model = fake_model(tmp_path)
    stages: list[str] = []
    with LlamaServer(
        ServerOptions(server, model, startup_timeout=20), paths.resolve(), stage=stages.append
    ) as child:
        done = child.complete([{"role": "user", "content": "x"}], RESPONSE_SCHEMA, max_tokens=32)
    assert stages == [
        "starting llama-server…",
        "loading the model tiny.gguf…",
        "reading the prompt…",
        "",  # the answer streams in: the spinner's own label again
    ]
    assert done.timings["load_ms"] >= 300 and "spawn_ms" in done.timings


def test_no_stage_reaches_stderr_without_a_terminal(run_i, tmp_path: Path) -> None:
    server, _ = fake_server(tmp_path / "bin", REPLY, load_s=0.3)
    completion, _ = fake_completion(tmp_path / "bin", REPLY)
    env = {
        "INTENT_LLAMA_SERVER": str(server),
        "INTENT_LLAMA_COMPLETION": str(completion),
        "INTENT_MODEL": str(fake_model(tmp_path)),
    }
    r = run_i("--dry", "-v", "list", env=env)
    assert r.code == 0, r.stderr
    assert "loading the model" not in r.stderr and "starting llama-server" not in r.stderr
    assert "load_ms=" in r.stderr and "spawn_ms=" in r.stderr  # -v: what each stage took
