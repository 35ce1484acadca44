"""The scripted mock backend: plays the replies in `INTENT_MOCK_SCRIPT`, one per call.

Each element of the JSON array is a reply object (sent as JSON) or a raw string (sent as-is,
to test invalid replies). Running out of replies is an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intent.backends.base import Completion, Defaults
from intent.errors import BackendUnavailable, UsageError

SIMULATED = {"stdout_to_user": "No local model is installed, so this answer is not real."}


class MockBackend(Defaults):
    name = "mock"
    cacheable = False  # a script plays replies in order; a cache hit would skip one
    streams = True  # replies are fed to on_text in small chunks, as llama-server streams them

    def __init__(self, replies: list[Any], *, simulated: bool = False) -> None:
        self.replies = list(replies)
        self.calls: list[list[dict[str, str]]] = []
        self.discouraged: list[bool] = []  # discourage_repeats, per call
        self.schemas: list[dict[str, Any]] = []  # the reply schema asked for, per call
        self.simulated = simulated

    @classmethod
    def from_file(cls, path: str | Path) -> MockBackend:
        try:
            data = json.loads(Path(path).read_text())
        except OSError as exc:
            raise UsageError(f"INTENT_MOCK_SCRIPT {path} cannot be read: {exc.strerror}") from None
        except ValueError as exc:
            raise UsageError(f"INTENT_MOCK_SCRIPT {path} is not JSON: {exc}") from None
        if not isinstance(data, list):
            raise UsageError(f"INTENT_MOCK_SCRIPT {path} must hold a JSON array of replies")
        return cls(data)

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion:
        self.calls.append(list(messages))
        self.schemas.append(schema)
        self.discouraged.append(discourage_repeats)
        if not self.replies:
            raise BackendUnavailable(
                f"the mock script ran out of replies after {len(self.calls) - 1} call(s).",
                hint="Add replies to INTENT_MOCK_SCRIPT.",
            )
        reply = self.replies.pop(0)
        text = reply if isinstance(reply, str) else json.dumps(reply)
        if on_text is not None:
            for end in range(8, len(text) + 8, 8):
                on_text(text[:end])
        return Completion(text, {"prompt_ms": 0, "predicted_ms": 0}, simulated=self.simulated)

    def close(self) -> None:
        pass
