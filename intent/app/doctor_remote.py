"""Doctor checks for a server that is already running (the `openai` and `ollama` backends):
no local runtime or model file matters, only whether the endpoint answers, has the model, and
returns a schema-valid reply, and how fast."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from intent.app import servers
from intent.app.checks import Check
from intent.app.wiring import Choice
from intent.errors import IntentError
from intent.reply import schema
from intent.settings import config as config_mod
from intent.settings import paths

if TYPE_CHECKING:
    from intent.backends.openai_compat import OpenAICompat


def checks(
    choice: Choice, server: servers.Server, p: paths.Paths, cfg: config_mod.Config, *, quick: bool
) -> list[Check]:
    try:
        backend, model = server.connect(
            servers.Reach(p, cfg, dict(os.environ), base_url=choice.url)
        )
    except IntentError as exc:
        return [Check("server", False, exc.message, _fix(exc)), _skipped()]
    try:
        try:
            listed = backend.models()
        except IntentError as exc:
            return [Check("server", False, exc.message, _fix(exc)), _skipped()]
        model = backend.model or model
        shown = ", ".join(listed[:6]) + (f" and {len(listed) - 6} more" if len(listed) > 6 else "")
        found = [
            Check(
                "server",
                True,
                f"{backend.base_url} answers; models: {shown or 'none listed'}; using {model}",
            )
        ]
        if not quick:
            found.append(live_request(backend))
        return found
    finally:
        backend.close()


def live_request(backend: OpenAICompat) -> Check:
    """One schema-constrained request, timed."""
    started = time.monotonic()
    try:
        c = backend.complete(
            [
                {"role": "system", "content": "Reply with JSON."},
                {"role": "user", "content": "Request: list the files here"},
            ],
            schema.RESPONSE_SCHEMA,
            max_tokens=96,
        )
        schema.validate(c.text)
    except IntentError as exc:
        return Check("live request", False, exc.message.splitlines()[0], _fix(exc))
    took = time.monotonic() - started
    return Check(
        "live request",
        True,
        f"{backend.model}: schema-valid answer in {took:.1f}s (replies constrained by "
        f"{backend.chosen_mode})",
    )


def _skipped() -> Check:
    return Check("live request", False, "skipped: the server check failed", "fix the check above")


def _fix(exc: IntentError) -> str | None:
    return exc.hint
