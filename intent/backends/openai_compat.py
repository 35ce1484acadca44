"""Any OpenAI-compatible endpoint (Ollama /v1, LM Studio, vLLM, llamafile, a remote llama-server
or provider).

How the reply is constrained depends on what the server accepts, learnt once per endpoint and
kept in the cache dir (`capability.py`): `json_schema`, a GBNF `grammar` field (llama.cpp's and
llamafile's servers), `json_object` with the schema in the prompt, or plain text. Every reply
goes through the shared extractor (`extract.py`). Replies are streamed so that a reply stuck in
a loop is cut off as llama-server's are. Busy servers are waited out (`retry.py`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from intent.backends import capability, extract
from intent.backends.base import (
    DRY_LAST_N,
    DRY_MULTIPLIER,
    Completion,
    Defaults,
    Unreachable,
    looping,
    one_line,
)
from intent.backends.retry import RETRY_STATUSES, Backoff, BudgetSpent
from intent.errors import BackendUnavailable
from intent.reply.grammar import constraint
from intent.reply.schema import fenced_command

# A constrained request a server refuses (400/422) is sent again in the next, looser mode.
FALLBACK = {"grammar": "json_schema", "json_schema": "json_object", "json_object": "text"}
REJECTED = (400, 415, 422)
# what servers say when the request does not fit the model's context (llama.cpp, OpenAI, vLLM,
# LM Studio, Ollama)
OVERFLOW_WORDS = (
    "context length",
    "context size",
    "context_length",
    "exceed_context",
    "maximum context",
    "too many tokens",
    "context window",
    "n_ctx",
)
OVERFLOW_STATUSES = (400, 413, 422, 500)
TOOL_RESULT = "Tool result ("  # how the engine frames a tool's output (turn/engine.py)
IGNORABLE = ("grammar", "json_schema")  # modes some servers accept but silently do not apply


def normalise_base_url(url: str) -> str:
    """`host:port`, `http://host:port/`, `.../v1`, `.../v1/chat/completions` -> `http://host:port/v1`.

    A URL whose path is empty gets `/v1` (every server in docs/backends.md serves the API there);
    any other path is kept, since some providers put the API elsewhere."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    url = url.rstrip("/")
    for tail in ("/chat/completions", "/completions", "/models"):
        if url.endswith(tail):
            url = url[: -len(tail)]
    return url + "/v1" if urlsplit(url).path in ("", "/") else url


def server_root(base_url: str) -> str:
    """The URL without its API path: where llama.cpp's `/props` and Ollama's `/api` live."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class OpenAICompat(Defaults):
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 180
    transport: Any = None
    retry_budget: float = 60
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.time
    progress: Callable[[str], None] | None = None  # one line per wait, for the user
    mode: str = "auto"  # or one of capability.MODES, from config
    cache_dir: Path | None = None  # where learnt capabilities are kept
    setting: str = "openai.base_url"  # named in hints
    name: str = "openai"
    cacheable: bool = True
    chosen_mode: str = ""  # the mode of the last reply, for -v and doctor
    _client: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.base_url = normalise_base_url(self.base_url)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            self._client = httpx.Client(
                base_url=self.base_url + "/",
                headers=headers,
                timeout=httpx.Timeout(self.timeout, connect=5.0),
                transport=self.transport,
            )
        return self._client

    # -- what the server offers -------------------------------------------------------------

    def models(self) -> list[str]:
        """The model ids `/models` lists."""
        resp = self._request("GET", "models", None)
        data = self._json(resp, "models")
        items = data.get("data") if isinstance(data, dict) else None
        return [str(m.get("id")) for m in items or [] if isinstance(m, dict) and m.get("id")]

    def _mode(self) -> str:
        if self.mode != "auto":
            return self.mode
        known = capability.load(self.cache_dir, self.base_url, self.now())
        if known:
            return known
        return "grammar" if self._is_llama_cpp() else "json_schema"

    def _is_llama_cpp(self) -> bool:
        """llama.cpp's server and llamafile answer `/props`; their `grammar` field holds the
        reply to our compact grammar, the tightest constraint there is."""
        import httpx

        try:
            resp = self._http().get(server_root(self.base_url) + "/props", timeout=3.0)
            data = resp.json() if resp.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return False
        return isinstance(data, dict) and any(
            k in data for k in ("default_generation_settings", "total_slots", "chat_template")
        )

    def context_size(self) -> int | None:
        """The context the server runs the model with, where it says: llama.cpp's and
        llamafile's `/props` (`n_ctx`), Ollama's `/api/show` (`num_ctx`, else the model's
        length capped at Ollama's default window). None when it does not say."""
        import httpx

        root = server_root(self.base_url)
        try:
            if self.name == "ollama":
                resp = self._http().post(
                    root + "/api/show", json={"model": self.model}, timeout=3.0
                )
                data = resp.json() if resp.status_code == 200 else None
                return _ollama_ctx(data)
            resp = self._http().get(root + "/props", timeout=3.0)
            data = resp.json() if resp.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        settings = data.get("default_generation_settings")
        n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else data.get("n_ctx")
        return n_ctx if isinstance(n_ctx, int) and n_ctx > 0 else None

    # -- one reply ----------------------------------------------------------------------------

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
        on_text: Callable[[str], None] | None = None,  # unused: streams is False
    ) -> Completion:
        if not self.model:
            self.model = self.default_model()
        mode = self.chosen_mode or self._mode()
        started = time.monotonic()
        cut = False
        while True:
            payload = self._payload(messages, schema, mode, max_tokens, discourage_repeats)
            try:
                text, timings, looped = self._stream(payload)
            except _Overflow as exc:
                shorter = cut_tool_results(messages)
                if cut or shorter == messages:
                    raise exc.error from None
                messages, cut = shorter, True  # once: the tool results cut, the rest as it was
                continue
            except _Rejected as exc:
                if self.mode != "auto" or mode not in FALLBACK:
                    raise exc.error from None
                mode = FALLBACK[mode]
                continue
            reply = text if looped else extract.json_text(text)
            if (
                self.mode == "auto"
                and mode in IGNORABLE
                and not looped
                and "{" not in reply
                and not (mode == "grammar" and fenced_command(reply))
            ):
                # a constrained reply cannot be prose: the server ignored the constraint, so
                # the prompt has to carry the schema (the grammar admits a fenced command)
                mode = "json_object"
                continue
            break
        if self.mode == "auto":
            capability.save(self.cache_dir, self.base_url, mode, self.now())
        self.chosen_mode = mode
        timings = {**timings, "mode": mode, "total_ms": (time.monotonic() - started) * 1000}
        if looped:
            timings["stopped"] = "repetition"  # not JSON: the engine asks again, discouraged
        if cut:
            timings["tool_results_cut"] = True
        return Completion(reply, timings)

    def default_model(self) -> str:
        """No model named: the server's first (llama-server, LM Studio and vLLM serve one)."""
        names = self.models()
        if not names:
            raise BackendUnavailable(
                f"{self.base_url} lists no models and none was named.",
                hint="Name one: `i config set openai.model NAME` or `--model NAME`.",
            )
        return names[0]

    def _payload(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        mode: str,
        max_tokens: int,
        discourage_repeats: bool,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "stream": True,
        }
        if mode == "grammar":
            payload |= constraint(schema)
        elif mode == "json_schema":
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "intent_reply", "schema": schema},
            }
        else:
            # the server cannot hold the reply to the schema: the prompt has to
            payload["messages"] = with_schema(messages, schema)
            if mode == "json_object":
                payload["response_format"] = {"type": "json_object"}
        if discourage_repeats:
            # llama.cpp's DRY sampler where the server is llama.cpp; elsewhere the standard
            # frequency penalty (strict servers refuse fields they do not know)
            if mode == "grammar":
                payload |= {"dry_multiplier": DRY_MULTIPLIER, "dry_penalty_last_n": DRY_LAST_N}
            else:
                payload["frequency_penalty"] = 0.3
        return payload

    def _stream(self, payload: dict[str, Any]) -> tuple[str, dict[str, Any], bool]:
        """POST the request and read the streamed reply: (text, timings, cut off for looping).
        Busy answers and dropped connections are retried within the budget."""
        import httpx

        backoff = Backoff(self.retry_budget, sleep=self.sleep, now=self.now, progress=self.progress)
        seen: list[str] = []  # what each failed try got: "503", "ReadError"
        said = ""  # the server's own words on the last failed try
        while True:
            busy = None
            try:
                with self._http().stream("POST", "chat/completions", json=payload) as resp:
                    if resp.status_code != 200:
                        resp.read()
                        said = one_line(_message_of(resp))
                        if _overflowed(resp.status_code, said):
                            raise _Overflow(self._status_error(resp, "chat/completions"))
                    if resp.status_code in RETRY_STATUSES:
                        busy = resp  # waited out below, the connection back in the pool
                    elif resp.status_code != 200:
                        error = self._status_error(resp, "chat/completions")
                        if resp.status_code in REJECTED:
                            raise _Rejected(error)
                        raise error
                    else:
                        return self._read(resp)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                # a reset or a proxy dropping the connection: worth another try
                seen.append("connection lost")
                said = ""
                why = f"connection to {self.host} lost ({type(exc).__name__})"
                self._wait(backoff, why, seen, said)
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None
            if busy is not None:
                seen.append(str(busy.status_code))
                self._wait(backoff, f"HTTP {busy.status_code} from {self.host}", seen, said, busy)

    def _wait(
        self, backoff: Backoff, why: str, seen: list[str], said: str, resp: Any = None
    ) -> None:
        try:
            backoff.wait(why, resp.headers.get("retry-after") if resp is not None else None)
        except BudgetSpent as exc:
            last = seen[-1]
            times = sum(1 for s in seen if s == last)
            raise Unreachable(
                f"{self.base_url} stayed unavailable: {exc}"
                + (f'; the server said: "{said}"' if said else "")
                + ".",
                brief=f"{last} ×{times}" if times > 1 else last,
                hint="Try again later, or raise `retry_budget` (`i config set retry_budget 60`).",
            ) from None

    def _read(self, resp: Any) -> tuple[str, dict[str, Any], bool]:
        kind = resp.headers.get("content-type", "")
        if "text/event-stream" not in kind:
            # the server ignored `stream`: one JSON body
            resp.read()
            return self._content(self._json(resp, "chat/completions")), {}, False
        text, timings = "", dict[str, Any]()
        for line in resp.iter_lines():
            if line.strip() == "data: [DONE]":
                break
            if not line.startswith("data:"):
                continue
            try:
                chunk = json.loads(line[5:])
            except ValueError:
                raise self._not_json(line.encode(), "chat/completions") from None
            if not isinstance(chunk, dict):
                continue
            if chunk.get("error"):
                raise BackendUnavailable(f"{self.base_url} failed: {_message(chunk)}")
            timings = chunk.get("timings") or chunk.get("usage") or timings
            for choice in chunk.get("choices") or []:
                text += (choice.get("delta") or {}).get("content") or ""
            if looping(text):
                return text, dict(timings), True  # leaving the block closes the connection
        return text, dict(timings), False

    def _content(self, data: Any) -> str:
        try:
            return str(data["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError):
            raise BackendUnavailable(
                f"{self.base_url} sent an unexpected reply: {str(data)[:200]}"
            ) from None

    # -- failures, told the user's way --------------------------------------------------------

    def _request(self, method: str, path: str, payload: Any) -> Any:
        import httpx

        try:
            resp = self._http().request(method, path, json=payload)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None
        if resp.status_code != 200:
            raise self._status_error(resp, path)
        return resp

    def _json(self, resp: Any, path: str) -> Any:
        try:
            return json.loads(resp.content)
        except ValueError:
            raise self._not_json(resp.content, path) from None

    def _not_json(self, body: bytes, path: str) -> BackendUnavailable:
        return BackendUnavailable(
            f"{self.base_url}/{path} answered 200 but not with JSON: {body[:120]!r}",
            hint=f"Is `{self.setting}` the server's API URL (usually ending in /v1)?",
        )

    def _status_error(self, resp: Any, path: str) -> BackendUnavailable:
        url = f"{self.base_url}/{path}"
        said = _message_of(resp)
        if resp.status_code == 404:
            if "model" in said.lower():
                return BackendUnavailable(
                    f"{self.host} has no model {self.model!r}: {said}",
                    hint="List the server's models with `i model list`.",
                )
            return BackendUnavailable(
                f"{url} was not found (HTTP 404){': ' + said if said else ''}.",
                hint=f"Check `{self.setting}`: it should be the API URL, usually ending in /v1.",
            )
        if resp.status_code in (401, 403):
            return BackendUnavailable(
                f"{url} refused the request (HTTP {resp.status_code}): {said or 'no reason given'}",
                hint="Check the API key (`i config get openai.api_key_env` names its variable).",
            )
        if resp.status_code >= 500:
            return Unreachable(
                f"{url} answered HTTP {resp.status_code}: {one_line(said)}",
                brief=str(resp.status_code),
            )
        return BackendUnavailable(f"{url} answered HTTP {resp.status_code}: {one_line(said)}")

    def _transport_error(self, exc: Exception) -> BackendUnavailable:
        import httpx

        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return Unreachable(
                f"nothing answers at {self.base_url} ({type(exc).__name__}).",
                brief="connection refused" if isinstance(exc, httpx.ConnectError) else "no answer",
                hint=f"Is the server running? Check `{self.setting}`.",
            )
        if isinstance(exc, httpx.TimeoutException):
            return Unreachable(
                f"{self.base_url} did not answer within {self.timeout:.0f}s.",
                brief=f"no answer in {self.timeout:.0f} s",
                hint="Raise `request_timeout`, or use a smaller model.",
            )
        return BackendUnavailable(
            f"the OpenAI-compatible endpoint {self.base_url} failed: {exc}",
            hint=f"Check `{self.setting}`.",
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


OLLAMA_DEFAULT_CTX = 4096  # what Ollama gives a model whose num_ctx is not set


def _ollama_ctx(data: Any) -> int | None:
    if not isinstance(data, dict):
        return None
    for line in str(data.get("parameters") or "").splitlines():
        name, _, value = line.strip().partition(" ")
        if name == "num_ctx" and value.strip().isdigit():
            return int(value.strip())
    info = data.get("model_info")
    if isinstance(info, dict):
        for key, value in info.items():
            if key.endswith(".context_length") and isinstance(value, int) and value > 0:
                return min(value, OLLAMA_DEFAULT_CTX)
    return None


class _Overflow(Exception):
    """The request did not fit the server's context: one retry with the tool results cut."""

    def __init__(self, error: BackendUnavailable) -> None:
        super().__init__(error.message)
        self.error = error


def _overflowed(status: int, said: str) -> bool:
    low = said.lower()
    return status in OVERFLOW_STATUSES and any(w in low for w in OVERFLOW_WORDS)


def cut_tool_results(messages: list[dict[str, str]], keep: int = 600) -> list[dict[str, str]]:
    """The messages with every tool result cut to its first `keep` characters, saying so; the
    system prompt, the request and the model's own turns stay as they were."""
    out = []
    for m in messages:
        content = m["content"]
        if m["role"] == "user" and content.startswith(TOOL_RESULT) and len(content) > keep + 80:
            head, _, _ = content.partition("\n")
            body = content[len(head) + 1 :]
            content = (
                f"{head}\n{body[:keep]}\n[... cut: the server's context is full; "
                "answer now, without more tool calls]"
            )
        out.append({**m, "content": content})
    return out


class _Rejected(Exception):
    """The server refused a constrained request (400/422): the next mode may do."""

    def __init__(self, error: BackendUnavailable) -> None:
        super().__init__(error.message)
        self.error = error


def with_schema(messages: list[dict[str, str]], schema: dict[str, Any]) -> list[dict[str, str]]:
    """The messages with the reply schema spelt out in the system message."""
    note = (
        "\n\nReply with one JSON object only, no prose and no code fences around it, or with a "
        "command alone in a ```sh block. The object must match this JSON Schema:\n"
        + json.dumps(schema, separators=(",", ":"))
    )
    out = [dict(m) for m in messages]
    for m in out:
        if m["role"] == "system":
            m["content"] += note
            return out
    return [{"role": "system", "content": note.strip()}, *out]


def _message(data: Any) -> str:
    """The human part of an error body: `{"error": {"message": ...}}` or `{"error": "..."}`."""
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data.get("message")))
        if isinstance(err, dict):
            err = err.get("message", err)
        if err is not None:
            return str(err)[:300]
    return str(data)[:300]


def _message_of(resp: Any) -> str:
    try:
        return _message(json.loads(resp.content))
    except ValueError:
        return str(resp.content[:200].decode(errors="replace")).strip()
