"""The OpenAI-compatible backend on a fake transport: schema sent, retries, Retry-After."""

from __future__ import annotations

import json

import httpx
import pytest

from intent.backends.openai_compat import OpenAICompat
from intent.errors import BackendUnavailable
from intent.turn.schema import RESPONSE_SCHEMA

REPLY = {
    "choices": [{"message": {"content": '{"stdout_to_user": "hi"}'}}],
    "usage": {"prompt_tokens": 5},
}


def backend(handler, sleeps: list[float]) -> OpenAICompat:
    return OpenAICompat(
        base_url="http://llm.local/v1",
        model="m",
        api_key="k",
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
    )


def test_sends_json_schema_response_format_and_key() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200, json=REPLY)

    out = backend(handler, []).complete(
        [{"role": "user", "content": "x"}], RESPONSE_SCHEMA, max_tokens=10
    )
    assert out.text == '{"stdout_to_user": "hi"}'
    body = json.loads(seen[0].content)
    assert seen[0].url.path == "/v1/chat/completions"
    assert seen[0].headers["authorization"] == "Bearer k"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == RESPONSE_SCHEMA


def test_retries_429_and_503_honouring_retry_after() -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(503),
            httpx.Response(200, json=REPLY),
        ]
    )
    sleeps: list[float] = []
    out = backend(lambda req: next(answers), sleeps).complete([], RESPONSE_SCHEMA, max_tokens=10)
    assert out.text.startswith("{") and sleeps == [7.0, 2.0]


def test_gives_up_with_exit_3() -> None:
    sleeps: list[float] = []
    with pytest.raises(BackendUnavailable) as info:
        backend(lambda req: httpx.Response(503), sleeps).complete(
            [], RESPONSE_SCHEMA, max_tokens=10
        )
    assert info.value.exit_code == 3 and len(sleeps) == 4


def test_unreachable_endpoint_names_the_setting() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(BackendUnavailable) as info:
        backend(handler, []).complete([], RESPONSE_SCHEMA, max_tokens=10)
    assert "openai.base_url" in (info.value.hint or "")
