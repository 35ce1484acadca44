"""Any OpenAI-compatible endpoint (Ollama /v1, LM Studio, vLLM, a remote llama-server).

Retries 429 and 503 with backoff, honouring `Retry-After`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intent.backends.base import Completion
from intent.errors import BackendUnavailable


@dataclass
class OpenAICompat:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 180
    transport: Any = None
    retries: int = 4
    sleep: Callable[[float], None] = time.sleep
    name: str = "openai"
    cacheable: bool = True
    _client: Any = field(default=None, repr=False)

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/") + "/",
                headers=headers,
                timeout=self.timeout,
                transport=self.transport,
            )
        return self._client

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
    ) -> Completion:
        import httpx

        payload: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "intent_reply", "schema": schema},
            },
        }
        delay = 1.0
        for attempt in range(self.retries + 1):
            try:
                resp = self._http().post("chat/completions", json=payload)
            except httpx.HTTPError as exc:
                raise BackendUnavailable(
                    f"the OpenAI-compatible endpoint {self.base_url} failed: {exc}",
                    hint="Check `openai.base_url` (`i config get openai.base_url`).",
                ) from None
            if resp.status_code in (429, 503) and attempt < self.retries:
                self.sleep(_retry_after(resp.headers.get("retry-after"), delay))
                delay = min(delay * 2, 30)
                continue
            if resp.status_code != 200:
                raise BackendUnavailable(
                    f"{self.base_url} answered HTTP {resp.status_code}: {resp.text[:200]}"
                )
            data = resp.json()
            try:
                return Completion(
                    data["choices"][0]["message"]["content"] or "", dict(data.get("usage") or {})
                )
            except (KeyError, IndexError, TypeError):
                raise BackendUnavailable(
                    f"{self.base_url} sent an unexpected reply: {str(data)[:200]}"
                ) from None
        raise BackendUnavailable(f"{self.base_url} stayed busy after {self.retries} retries.")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _retry_after(header: str | None, default: float) -> float:
    if header:
        try:
            return min(max(float(header), 0.0), 60.0)
        except ValueError:
            pass
    return default
