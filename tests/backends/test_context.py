"""What a server says about its context, and an overflow answer: one retry with the tool
results cut, then the error if the server still refuses."""

from __future__ import annotations

import json

import httpx
import pytest
from fake_llm import streamed

from intent.backends.openai_compat import OpenAICompat, cut_tool_results
from intent.errors import BackendUnavailable
from intent.reply.schema import RESPONSE_SCHEMA

ANSWER = '{"stdout_to_user": "hi"}'
BIG = "Tool result (list_dir):\n" + "file.txt\n" * 2000 + "\nNow answer the original request."
MESSAGES = [
    {"role": "system", "content": "Reply with JSON."},
    {"role": "user", "content": "list files"},
    {"role": "assistant", "content": '{"tool_call": {"name": "list_dir", "arguments": {}}}'},
    {"role": "user", "content": BIG},
]
OVERFLOW = httpx.Response(
    400,
    json={
        "error": {
            "code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error",
        }
    },
)


def server(*answers: httpx.Response, props: dict | None = None, show: dict | None = None):
    chats: list[dict] = []

    def handle(req: httpx.Request) -> httpx.Response:
        if req.url.path == "/props":
            return httpx.Response(200, json=props) if props else httpx.Response(404)
        if req.url.path == "/api/show":
            return httpx.Response(200, json=show) if show else httpx.Response(404)
        chats.append(json.loads(req.content))
        return answers[min(len(chats), len(answers)) - 1]

    return httpx.MockTransport(handle), chats


def make(transport: httpx.MockTransport, **kw: object) -> OpenAICompat:
    options: dict = {
        "base_url": "http://llm.local/v1",
        "model": "m",
        "transport": transport,
        "mode": "json_schema",
        "sleep": lambda s: None,
    } | kw
    return OpenAICompat(**options)


def test_an_overflow_is_retried_once_with_the_tool_results_cut() -> None:
    transport, chats = server(OVERFLOW, streamed(ANSWER))
    done = make(transport).complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=64)
    assert done.text == ANSWER and done.timings["tool_results_cut"] is True
    assert len(chats) == 2
    first, second = (c["messages"][-1]["content"] for c in chats)
    assert first == BIG
    assert len(second) < 1000 and second.startswith("Tool result (list_dir):\nfile.txt")
    assert "cut" in second
    # the request itself and the system prompt are untouched
    assert chats[1]["messages"][:3] == chats[0]["messages"][:3]


def test_an_overflow_that_stays_is_an_error_after_one_retry() -> None:
    transport, chats = server(OVERFLOW)
    with pytest.raises(BackendUnavailable) as info:
        make(transport).complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=64)
    assert len(chats) == 2
    assert "context size" in info.value.message


def test_an_overflow_without_tool_results_is_not_retried() -> None:
    transport, chats = server(OVERFLOW)
    with pytest.raises(BackendUnavailable):
        make(transport).complete(MESSAGES[:2], RESPONSE_SCHEMA, max_tokens=64)
    assert len(chats) == 1


def test_an_overflow_as_413_from_a_proxy_is_recognised() -> None:
    too_big = httpx.Response(413, json={"error": "This model's maximum context length is 4096"})
    transport, chats = server(too_big, streamed(ANSWER))
    assert make(transport).complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=64).text == ANSWER
    assert len(chats) == 2


def test_cutting_keeps_short_results_and_other_messages() -> None:
    short = [*MESSAGES[:3], {"role": "user", "content": "Tool result (cwd):\n/home/me"}]
    assert cut_tool_results(short) == short


def test_llama_cpp_context_comes_from_props() -> None:
    transport, _ = server(props={"default_generation_settings": {"n_ctx": 2048}})
    assert make(transport).context_size() == 2048


def test_ollama_context_comes_from_api_show() -> None:
    show = {"parameters": "stop <|im_end|>\nnum_ctx 8192", "model_info": {}}
    transport, _ = server(show=show)
    assert make(transport, name="ollama").context_size() == 8192


def test_ollama_without_num_ctx_runs_the_default_window() -> None:
    show = {"model_info": {"qwen2.context_length": 32768}}
    transport, _ = server(show=show)
    assert make(transport, name="ollama").context_size() == 4096


def test_a_server_that_does_not_say_leaves_the_setting() -> None:
    from intent.app import wiring
    from intent.settings.config import Config

    transport, _ = server()
    backend = make(transport)
    assert backend.context_size() is None
    config = Config(__import__("pathlib").Path("/nonexistent"), raw={"ctx_size": 3000})
    assert wiring.context_tokens(backend, config) == 3000
    transport, _ = server(props={"default_generation_settings": {"n_ctx": 1024}})
    assert wiring.context_tokens(make(transport), config) == 1024
