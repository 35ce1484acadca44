"""The backend protocol: one chat request in, one reply text out, plus timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Completion:
    text: str
    timings: dict[str, Any] = field(default_factory=dict)  # prompt_ms, predicted_ms, cache_n ...
    simulated: bool = False


# Small models at temperature 0 can fall into a loop (`test_test_test_...`) and fill the whole
# token budget. A retry after an invalid reply asks for the DRY sampler, which penalises
# repeating a recent token sequence; the first try stays plain greedy, because legitimate
# commands repeat themselves too (`-o -name '*.jpg' -o -name '*.png'`).
DRY_MULTIPLIER = 0.8
DRY_LAST_N = 64


class Backend(Protocol):
    name: str
    cacheable: bool  # may its answers be reused by the answer cache?

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
    ) -> Completion: ...

    def close(self) -> None: ...
