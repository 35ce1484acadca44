"""The backend protocol: one chat request in, one reply text out, plus timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Completion:
    text: str
    timings: dict[str, Any] = field(default_factory=dict)  # prompt_ms, predicted_ms, cache_n ...
    simulated: bool = False


class Backend(Protocol):
    name: str
    cacheable: bool  # may its answers be reused by the answer cache?

    def complete(
        self, messages: list[dict[str, str]], schema: dict[str, Any], *, max_tokens: int
    ) -> Completion: ...

    def close(self) -> None: ...
