"""Failover: ask the chosen backend; when it fails in a way the next one would not (`Unreachable`),
mark it down in the circuit breaker and ask the next backend in `auto`'s order, and say so in
one line once an answer has come (`remote server unavailable (503 ×3); answered by the local
model`).

The candidates come lazily from the caller (app/wiring.py), so a server is only probed and a
model only loaded when the one before has failed. Only the first candidate's other errors (a
wrong key, a missing model) are the user's to see; a later candidate that cannot be built is
passed over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from intent.backends.base import Backend, Completion, Unreachable
from intent.backends.breaker import Breaker
from intent.errors import BackendUnavailable


@dataclass(frozen=True)
class Candidate:
    name: str  # the backend's name, for the envelope and the audit log
    why: str  # why it was chosen, for -v and the envelope
    key: str  # its circuit-breaker key: the backend and, for a server, its URL
    label: str  # the notice's words for it: "remote server", "Ollama", "llama-server"
    answerer: str  # the notice's words when it answers: "the local model"
    build: Callable[[], tuple[Backend, str]]  # (the backend object, the model id)


@dataclass(frozen=True)
class Failed:
    candidate: Candidate
    brief: str  # "503 ×3", "connection refused", "marked down until 11:42:10: 503 ×3"


class Failover:
    """A `Backend` over an ordered list of candidates. `skip_down` passes over a candidate the
    breaker holds down (never the first of an explicit choice: `failover = true` asks it)."""

    def __init__(
        self,
        candidates: Iterator[Candidate],
        breaker: Breaker,
        *,
        notify: Callable[[str], None] | None = None,
        skip_first_down: bool = True,
    ) -> None:
        self._rest = candidates
        self.breaker = breaker
        self.notify = notify
        self.failed: list[Failed] = []
        self._told = False
        self._first_error: BackendUnavailable | None = None
        self.current: Candidate
        self.backend: Backend
        self.model_id: str
        self.name: str
        self.cacheable: bool
        self.streams: bool
        self._advance(first=True, skip_down=skip_first_down)

    # -- choosing ----------------------------------------------------------------------------

    def _advance(self, *, first: bool = False, skip_down: bool = True) -> None:
        """Build the next candidate that is not held down; raise the first error when none is
        left."""
        for cand in self._rest:
            down = self.breaker.down(cand.key) if skip_down or not first else None
            if down is not None:
                self.failed.append(Failed(cand, f"{down.why}; skipped until {down.until_text()}"))
                first = False
                continue
            try:
                self.backend, self.model_id = cand.build()
            except Unreachable as exc:
                self._trip(cand, exc)
                first = False
                continue
            except BackendUnavailable as exc:
                if first:
                    raise
                self._first_error = self._first_error or exc
                continue
            self.current = cand
            # the Backend protocol's attributes: the answering backend's
            self.name = self.backend.name
            self.cacheable = self.backend.cacheable
            self.streams = self.backend.streams
            return
        if self._first_error is not None:
            raise self._first_error
        raise BackendUnavailable(
            "no backend is available: "
            + "; ".join(f"{f.candidate.label}: {f.brief}" for f in self.failed)
            + ".",
            hint="Run `i doctor`.",
        )

    def _trip(self, cand: Candidate, exc: Unreachable) -> None:
        self.breaker.trip(cand.key, exc.brief)
        self.failed.append(Failed(cand, exc.brief))
        if self._first_error is None:
            self._first_error = exc  # what the user sees when nothing else answers

    # -- the Backend protocol ----------------------------------------------------------------

    @property
    def startup_ms(self) -> float:
        return self.backend.startup_ms

    @property
    def notes(self) -> list[str]:
        return self.backend.notes

    @property
    def why(self) -> str:
        """Why the backend that answered was asked: for -v, the envelope and the audit log."""
        if not self.failed:
            return self.current.why
        after = ", ".join(f"{f.candidate.name} {f.brief}" for f in self.failed)
        return f"failover after {after}; {self.current.why}"

    def notice(self) -> str:
        said = ", ".join(f"{f.candidate.label} unavailable ({f.brief})" for f in self.failed)
        return f"{said}; answered by {self.current.answerer}"

    def prestart(self) -> None:
        self.backend.prestart()

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion:
        while True:
            try:
                done = self.backend.complete(
                    messages,
                    schema,
                    max_tokens=max_tokens,
                    discourage_repeats=discourage_repeats,
                    on_text=on_text,
                )
            except Unreachable as exc:
                self.backend.close()
                self._trip(self.current, exc)
                self._advance()
                continue
            if self.failed and not self._told:
                self._told = True
                if self.notify is not None:
                    self.notify(self.notice())
            return done

    def close(self) -> None:
        self.backend.close()
