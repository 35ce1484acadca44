"""The backend protocol: one chat request in, one reply text out, plus timings."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from intent.errors import BackendUnavailable
from intent.reply.schema import open_line


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
    """Everything a caller may use, so no caller probes with hasattr: a backend without a
    child process or notes inherits the inert defaults of `Defaults`."""

    name: str
    cacheable: bool  # may its answers be reused by the answer cache?
    streams: bool  # does complete() call on_text with the reply as it arrives?

    @property
    def startup_ms(self) -> float:
        """How long the model took to load for this turn (0 when nothing was started)."""
        ...

    @property
    def notes(self) -> list[str]:
        """Lines the user should see after the proposal (e.g. a snapshot not restored)."""
        ...

    def prestart(self) -> None:
        """Start loading the model now, so it loads while the caller gathers context."""
        ...

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion: ...

    def close(self) -> None: ...


class Defaults:
    """The inert half of `Backend` for backends with no child to start and nothing to note.
    Class attributes, not dataclass fields, so dataclass backends can inherit them too."""

    streams: bool = False
    startup_ms: float = 0.0

    @property
    def notes(self) -> list[str]:
        return []

    def prestart(self) -> None:
        return None


_LOOP = re.compile(r"(.{1,16}?)\1+$", re.S)
# a fenced command line longer than this is a runaway (`awk '{print $1, $2, $3, … $71,`),
# not a line anyone confirms: 4x the longest command of the quality bench's 232 references
MAX_FENCED_LINE = 400


def looping(text: str, span: int = 96) -> bool:
    """Whether the text ends in one short unit repeated over at least `span` characters
    (`_test_test_test…`), or is a fenced command line still running past MAX_FENCED_LINE
    characters: a small model stuck in a loop, not a command anyone writes."""
    match = _LOOP.search(text[-4 * span :])
    if match is not None and len(match.group(0)) >= span:
        return True
    line = open_line(text)
    return line is not None and len(line) > MAX_FENCED_LINE


class Unreachable(BackendUnavailable):
    """A failure the next backend would not share (refused connection, timeout, 5xx or 429
    beyond the retry budget, a llama-server that died at start): `auto` and `failover = true`
    mark the backend down and ask the next one. `brief` is the cause for the one-line notice,
    e.g. "503 ×3" or "connection refused"."""

    def __init__(
        self, message: str, *, brief: str, hint: str | None = None, detail: str | None = None
    ) -> None:
        super().__init__(message, hint=hint, detail=detail)
        self.brief = brief


def one_line(text: str, limit: int = 160) -> str:
    """A server's own words as one short line: control characters made visible escapes (the
    renderer escapes again; this keeps the envelope and the audit log to one line too)."""
    flat = " ".join(text.split())
    out = "".join(
        ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
        for ch in flat
    )
    return out if len(out) <= limit else out[: limit - 1] + "…"
