"""The OpenAI-compatible backend on real parts: a real llama-server (started here, as a user
would run their own) with the real tiny Gemma model, reached over its OpenAI API."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from intent.backends.llama_server import free_port
from intent.backends.openai_compat import OpenAICompat
from intent.errors import BackendUnavailable
from intent.reply import schema

pytestmark = pytest.mark.real

KEY = "test-key-123"


@pytest.fixture(scope="module")
def own_server(real_parts, tmp_path_factory: pytest.TempPathFactory):
    """A llama-server the way a user runs one: its own port, an API key, no /v1 in the URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("own-server") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                str(real_parts.server),
                "-m",
                str(real_parts.model),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "-c",
                "2048",
                "-np",
                "1",
                "--api-key",
                KEY,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "llama-server did not become ready"
            time.sleep(0.1)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


MESSAGES = [
    {"role": "system", "content": "You turn requests into shell commands. Reply with JSON."},
    {"role": "user", "content": "Request: list the files here"},
]


def test_json_schema_mode_on_a_real_server(own_server: str, tmp_path: Path) -> None:
    # `auto` picks the grammar for llama-server (test_i_through_the_openai_backend); this is
    # the path Ollama, LM Studio and vLLM take: llama.cpp converts the response_format schema
    b = OpenAICompat(
        base_url=own_server, model="", api_key=KEY, mode="json_schema", cache_dir=tmp_path
    )
    try:
        out = b.complete(MESSAGES, schema.RESPONSE_SCHEMA, max_tokens=384)  # as `i` asks
    finally:
        b.close()
    assert b.chosen_mode == "json_schema" and b.model  # the server's own model name
    schema.validate(out.text)


def test_a_wrong_key_is_exit_3_naming_the_key(own_server: str) -> None:
    b = OpenAICompat(base_url=own_server + "/v1", model="x", api_key="wrong", mode="grammar")
    with pytest.raises(BackendUnavailable) as info:
        b.complete(MESSAGES, schema.RESPONSE_SCHEMA, max_tokens=8)
    assert "HTTP 401" in info.value.message and "api_key_env" in (info.value.hint or "")


def test_i_through_the_openai_backend(run_i, own_server: str, intent_home: Path) -> None:
    cfg = intent_home / "config" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f'backend = "openai"\n[openai]\nbase_url = "{own_server}"\n')
    r = run_i(
        "--dry", "--json", "-v", "list the files here", env={"OPENAI_API_KEY": KEY}, timeout=300
    )
    assert r.code in (0, 4, 8), r.stderr  # propose, refuse or ask back: a schema-valid reply
    obj = r.json()
    assert obj["backend"] == "openai"
    schema.validate(obj["response"])
    assert "mode=grammar" in r.stderr
