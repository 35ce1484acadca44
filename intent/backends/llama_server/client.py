"""HTTP to llama-server: the request's constraint (a compact grammar) and the streamed reply,
read chunk by chunk so a looping reply is cut off and the command can be shown early."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from intent.backends.base import looping
from intent.errors import BackendUnavailable


def stream_chat(
    http: Any,
    payload: dict[str, Any],
    *,
    timeout: float,
    on_text: Callable[[str], None] | None = None,
) -> tuple[str, dict[str, Any], bool]:
    """POST a streamed chat request: (text, timings, stopped because it looped).

    Streaming lets a reply that has fallen into a loop be cut off at once instead of after
    the whole token budget (384 tokens at ~45 ms each is 17 s with the default model).
    Closing the connection makes llama-server cancel the task. `on_text` sees the text
    so far after each chunk (the terminal shows the command before the reply is complete).
    httpx errors are the caller's to translate.
    """
    import httpx

    text, timings = "", dict[str, Any]()
    deadline = time.monotonic() + timeout  # for the whole reply
    try:
        with http.stream(
            "POST",
            "/v1/chat/completions",
            json={**payload, "stream": True},
            # a fresh connection per stream: reusing one after a streamed reply raced with
            # llama-server closing it ("Server disconnected without sending a response")
            headers={"Connection": "close"},
        ) as resp:
            if resp.status_code != 200:
                resp.read()
                raise BackendUnavailable(
                    f"llama-server answered HTTP {resp.status_code}: {resp.text[:300]}",
                    hint="Run `i doctor`.",
                )
            for line in resp.iter_lines():
                if line == "data: [DONE]":
                    break  # do not wait for the connection to close
                if not line.startswith("data: "):
                    continue
                chunk = json.loads(line[6:])
                timings = chunk.get("timings") or timings
                before = len(text)
                for choice in chunk.get("choices") or []:
                    text += (choice.get("delta") or {}).get("content") or ""
                if on_text is not None and len(text) > before:
                    on_text(text)
                if looping(text):
                    return text, timings, True
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the reply took longer than request_timeout")
    except ValueError:
        raise BackendUnavailable(
            f"llama-server sent an unexpected stream: {text[-200:]!r}"
        ) from None
    return text, timings, False
