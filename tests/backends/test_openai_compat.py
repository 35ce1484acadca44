"""The OpenAI-compatible backend against fake servers (httpx.MockTransport): URLs, modes and
their fallback, retries with measured waits, streaming cut-off, replies that need extracting."""

from __future__ import annotations

import json
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest
from fake_llm import streamed

from intent.backends.openai_compat import OpenAICompat, normalise_base_url
from intent.errors import BackendUnavailable
from intent.reply.schema import RESPONSE_SCHEMA

ANSWER = '{"stdout_to_user": "hi"}'
NOW = 1_700_000_000.0
MESSAGES = [{"role": "system", "content": "Reply with JSON."}, {"role": "user", "content": "x"}]


class Fake:
    """Records requests; `/props` is 404 (not llama.cpp) unless `props` is given; chat
    requests get the next of `answers` (a Response or an exception to raise)."""

    def __init__(self, *answers: object, props: dict | None = None) -> None:
        self.answers = list(answers)
        self.props = props
        self.chats: list[dict] = []
        self.requests: list[httpx.Request] = []

    def __call__(self, req: httpx.Request) -> httpx.Response:
        self.requests.append(req)
        if req.url.path == "/props":
            return httpx.Response(200, json=self.props) if self.props else httpx.Response(404)
        if req.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": "served-model"}]})
        self.chats.append(json.loads(req.content))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, httpx.Response)
        return answer


def backend(fake: Fake, **kw: object) -> tuple[OpenAICompat, list[float], list[str]]:
    sleeps: list[float] = []
    lines: list[str] = []
    options: dict = {
        "base_url": "http://llm.local/v1",
        "model": "m",
        "api_key": "k",
        "transport": httpx.MockTransport(fake),
        "sleep": sleeps.append,
        "now": lambda: NOW,
        "progress": lines.append,
    } | kw
    return OpenAICompat(**options), sleeps, lines


def ask(b: OpenAICompat) -> str:
    return b.complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=10).text


@pytest.mark.parametrize(
    "given",
    [
        "http://llm.local:8080",
        "http://llm.local:8080/",
        "http://llm.local:8080/v1",
        "http://llm.local:8080/v1/",
        "llm.local:8080",
        "http://llm.local:8080/v1/chat/completions",
    ],
)
def test_base_url_with_or_without_v1(given: str) -> None:
    assert normalise_base_url(given) == "http://llm.local:8080/v1"


def test_a_provider_path_is_kept() -> None:
    assert normalise_base_url("https://api.example.com/openai/v1/") == (
        "https://api.example.com/openai/v1"
    )


def test_streams_a_json_schema_request_to_the_normalised_url() -> None:
    fake = Fake(streamed(ANSWER[:9], ANSWER[9:]))
    b, _, _ = backend(fake, base_url="http://llm.local")
    assert ask(b) == ANSWER
    req, body = fake.requests[-1], fake.chats[0]
    assert str(req.url) == "http://llm.local/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer k"
    assert body["stream"] is True and body["model"] == "m"
    assert body["response_format"]["json_schema"]["schema"] == RESPONSE_SCHEMA


def test_404_names_the_url_it_tried() -> None:
    b, _, _ = backend(Fake(httpx.Response(404, text="404 page not found")))
    with pytest.raises(BackendUnavailable) as info:
        ask(b)
    assert "http://llm.local/v1/chat/completions was not found" in info.value.message
    assert "/v1" in (info.value.hint or "") and info.value.exit_code == 3


def test_404_for_a_missing_model_names_the_model() -> None:
    body = {"error": {"message": 'model "m" not found, try pulling it first'}}
    b, _, _ = backend(Fake(httpx.Response(404, json=body)))
    with pytest.raises(BackendUnavailable) as info:
        ask(b)
    assert "no model 'm'" in info.value.message and "try pulling" in info.value.message


def test_no_model_named_uses_the_servers_first() -> None:
    fake = Fake(streamed(ANSWER))
    b, _, _ = backend(fake, model="")
    ask(b)
    assert fake.chats[0]["model"] == "served-model"


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_each_busy_status_is_retried_with_a_visible_wait(status: int) -> None:
    b, sleeps, lines = backend(Fake(httpx.Response(status), streamed(ANSWER)))
    assert ask(b) == ANSWER
    assert sleeps == [1.0]
    assert lines == [f"waiting 1 s: HTTP {status} from llm.local"]


def test_backoff_doubles_up_to_the_cap() -> None:
    b, sleeps, _ = backend(Fake(*[httpx.Response(503)] * 7, streamed(ANSWER)), retry_budget=200)
    assert ask(b) == ANSWER
    assert sleeps == [1, 2, 4, 8, 16, 30, 30]


def test_retry_after_in_seconds() -> None:
    b, sleeps, lines = backend(
        Fake(httpx.Response(429, headers={"Retry-After": "7"}), streamed(ANSWER))
    )
    ask(b)
    assert sleeps == [7.0] and lines == ["waiting 7 s: HTTP 429 from llm.local"]


def test_retry_after_as_an_http_date() -> None:
    date = formatdate(NOW + 12, usegmt=True)
    b, sleeps, _ = backend(
        Fake(httpx.Response(503, headers={"Retry-After": date}), streamed(ANSWER))
    )
    ask(b)
    assert sleeps == [12.0]


def test_the_total_wait_stays_within_the_budget() -> None:
    b, sleeps, lines = backend(Fake(httpx.Response(503)), retry_budget=10)
    with pytest.raises(BackendUnavailable) as info:
        ask(b)
    # the last wait leaves a tenth of the budget (at most 2 s) for the last try
    assert sleeps == [1, 2, 4, 2] and sum(sleeps) == 9 and len(lines) == 4
    assert info.value.exit_code == 3 and "retry_budget" in (info.value.hint or "")
    assert "503 ×5" == getattr(info.value, "brief", None)  # five tries, for the notice


def test_a_retry_after_beyond_the_budget_fails_at_once() -> None:
    b, sleeps, _ = backend(Fake(httpx.Response(429, headers={"Retry-After": "120"})))
    with pytest.raises(BackendUnavailable) as info:
        ask(b)
    assert sleeps == [] and "asks to wait 120 s" in info.value.message


def test_a_connection_reset_is_retried() -> None:
    fake = Fake(httpx.RemoteProtocolError("Server disconnected"), streamed(ANSWER))
    b, sleeps, lines = backend(fake)
    assert ask(b) == ANSWER
    assert sleeps == [1.0] and "connection to llm.local lost" in lines[0]


def test_a_refused_connection_fails_at_once_naming_the_setting() -> None:
    b, sleeps, _ = backend(Fake(httpx.ConnectError("refused")))
    with pytest.raises(BackendUnavailable) as info:
        ask(b)
    assert sleeps == [] and "openai.base_url" in (info.value.hint or "")


def test_json_schema_rejected_then_json_object_remembered(tmp_path: Path) -> None:
    rejected = httpx.Response(400, json={"error": "response_format json_schema unsupported"})
    fake = Fake(rejected, streamed(ANSWER))
    b, _, _ = backend(fake, cache_dir=tmp_path)
    assert ask(b) == ANSWER
    first, second = fake.chats
    assert first["response_format"]["type"] == "json_schema"
    assert second["response_format"] == {"type": "json_object"}
    assert '"oneOf"' in second["messages"][0]["content"]  # the schema went into the prompt
    # the next invocation asks in the mode that worked, first time
    again = Fake(streamed(ANSWER))
    b2, _, _ = backend(again, cache_dir=tmp_path)
    ask(b2)
    assert [c.get("response_format") for c in again.chats] == [{"type": "json_object"}]


def test_json_object_rejected_too_falls_back_to_plain_text() -> None:
    rejected = httpx.Response(422, json={"detail": "unknown field response_format"})
    fake = Fake(rejected, rejected, streamed(f"Here you go:\n```json\n{ANSWER}\n```"))
    b, _, _ = backend(fake)
    assert ask(b) == ANSWER
    assert "response_format" not in fake.chats[2] and b.chosen_mode == "text"


def test_a_fixed_mode_does_not_fall_back() -> None:
    fake = Fake(httpx.Response(400, json={"error": "bad"}))
    b, _, _ = backend(fake, mode="json_schema")
    with pytest.raises(BackendUnavailable):
        ask(b)
    assert len(fake.chats) == 1


def test_a_llama_cpp_server_gets_the_grammar() -> None:
    fake = Fake(streamed(ANSWER), props={"default_generation_settings": {}, "total_slots": 1})
    b, _, _ = backend(fake)
    ask(b)
    assert "grammar" in fake.chats[0] and "response_format" not in fake.chats[0]


def test_a_fenced_command_from_a_llama_cpp_server_keeps_the_grammar(tmp_path: Path) -> None:
    """The grammar admits a fenced command: a reply without `{` is not a server that ignored
    the constraint (it used to cost a second request and a week in json_object mode)."""
    fenced = "```sh\nls -la\n```"
    fake = Fake(streamed(fenced), props={"default_generation_settings": {}, "total_slots": 1})
    b, _, _ = backend(fake, cache_dir=tmp_path)
    assert ask(b) == fenced
    assert len(fake.chats) == 1 and b.chosen_mode == "grammar"


def test_an_unconstrained_server_may_answer_with_a_fenced_command() -> None:
    rejected = httpx.Response(422, json={"detail": "unknown field response_format"})
    fake = Fake(rejected, rejected, streamed("Sure:\r\n```bash\r\nls -la\r\n```\r\nDone."))
    b, _, _ = backend(fake)
    assert ask(b) == "```sh\nls -la\n```"
    assert "a command alone in a ```sh block" in fake.chats[2]["messages"][0]["content"]


def test_a_thinking_models_reply() -> None:
    reply = f"<think>The user wants a greeting. {{maybe}}</think>\n\n```json\n{ANSWER}\n```"
    b, _, _ = backend(Fake(streamed(reply[:20], reply[20:])))
    assert ask(b) == ANSWER


def test_a_non_json_200_is_exit_3_showing_the_body() -> None:
    page = httpx.Response(200, headers={"content-type": "text/html"}, text="<html>LM Studio UI")
    b, _, _ = backend(Fake(page))
    with pytest.raises(BackendUnavailable) as info:
        ask(b)
    assert info.value.exit_code == 3 and "<html>LM Studio" in info.value.message


def test_a_server_that_ignores_stream_still_answers() -> None:
    whole = {"choices": [{"message": {"content": ANSWER}}], "usage": {"prompt_tokens": 5}}
    b, _, _ = backend(Fake(httpx.Response(200, json=whole)))
    assert ask(b) == ANSWER


def test_a_looping_reply_is_cut_off() -> None:
    pieces = ['{"command": "ls ', *["test_"] * 200, '"}']
    b, _, _ = backend(Fake(streamed(*pieces)))
    out = b.complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=1000)
    assert out.timings["stopped"] == "repetition"
    assert len(out.text) < 150  # read until the loop showed, not to the end


def test_a_retry_discourages_repeats_in_the_servers_own_terms() -> None:
    fake = Fake(streamed(ANSWER), props={"total_slots": 1})
    b, _, _ = backend(fake)
    b.complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=10, discourage_repeats=True)
    assert fake.chats[0]["dry_multiplier"] > 0  # llama.cpp: the DRY sampler
    other = Fake(streamed(ANSWER))
    b, _, _ = backend(other)
    b.complete(MESSAGES, RESPONSE_SCHEMA, max_tokens=10, discourage_repeats=True)
    assert "dry_multiplier" not in other.chats[0] and other.chats[0]["frequency_penalty"] > 0


def test_a_server_that_ignores_json_schema_gets_the_schema_in_the_prompt(tmp_path: Path):
    prose = streamed("Sure, to list the files you can run ls -la in the terminal.")
    fake = Fake(prose, streamed(ANSWER))
    b, _, _ = backend(fake, cache_dir=tmp_path)
    assert ask(b) == ANSWER
    assert fake.chats[1]["response_format"] == {"type": "json_object"}
    assert '"oneOf"' in fake.chats[1]["messages"][0]["content"]
    ask(b)  # the next call in the same invocation asks that way at once
    assert fake.chats[2]["response_format"] == {"type": "json_object"} and len(fake.chats) == 3
