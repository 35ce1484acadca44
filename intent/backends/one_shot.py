"""The one-shot fallback: `llama-completion` (or a legacy `llama-cli`) per model call.

It reloads the model on every call, which is why it is only a fallback. The chat history is
flattened into one user prompt; the reply is the first JSON object in the output
(`extract.py`: trailers such as `> EOF by user` dropped).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intent import process
from intent.backends import extract
from intent.backends.base import DRY_LAST_N, DRY_MULTIPLIER, Completion, Defaults
from intent.errors import BackendUnavailable
from intent.reply import grammar


def _constraint(schema: dict[str, Any]) -> list[str]:
    """The compact reply grammar (as llama-server gets it), or llama.cpp's own conversion."""
    try:
        return ["--grammar", grammar.for_schema(schema)]
    except grammar.Unsupported:
        return ["-j", json.dumps(schema)]


@dataclass
class OneShot(Defaults):
    binary: Path
    model: Path
    ctx_size: int = 4096
    threads: int = 0
    timeout: float = 300
    legacy_cli: bool = False
    load_args: tuple[str, ...] | list[str] = ()  # runtime.Probe.load_args()
    name: str = "llama-cli"
    cacheable: bool = True
    # what the spinner waits for ("" gives it its own label back); the model loads every call
    stage: Callable[[str], None] | None = None

    def argv(
        self,
        system: str,
        user: str,
        schema: dict[str, Any],
        max_tokens: int,
        discourage_repeats: bool = False,
    ) -> list[str]:
        argv = [
            str(self.binary),
            "-m",
            str(self.model),
            "-st",
            "-sys",
            system,
            "-p",
            user,
            "-n",
            str(max_tokens),
            *_constraint(schema),
            "--no-display-prompt",
            "-c",
            str(self.ctx_size),
            "--temp",
            "0.1",
        ]
        if self.legacy_cli:
            argv.append("--no-conversation")
        if self.threads:
            argv += ["-t", str(self.threads)]
        if discourage_repeats:
            argv += [
                "--dry-multiplier",
                str(DRY_MULTIPLIER),
                "--dry-penalty-last-n",
                str(DRY_LAST_N),
            ]
        return argv + list(self.load_args)

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
        on_text: Callable[[str], None] | None = None,  # unused: streams is False
    ) -> Completion:
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        rest = [m for m in messages if m["role"] != "system"]
        user = (
            rest[-1]["content"]
            if len(rest) == 1
            else "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in rest)
        )
        started = time.monotonic()
        if self.stage is not None:
            self.stage(f"loading the model {self.model.name} and reading the prompt (one-shot)…")
        try:
            res = process.run(
                self.argv(system, user, schema, max_tokens, discourage_repeats),
                timeout=self.timeout,
            )
        finally:
            if self.stage is not None:
                self.stage("")
        ms = (time.monotonic() - started) * 1000
        if res.timed_out:
            raise BackendUnavailable(
                f"{self.binary.name} did not finish within {self.timeout:.0f}s.",
                hint="Raise `request_timeout` or use a smaller model.",
            )
        if res.returncode != 0:
            tail = "\n".join(res.stderr.strip().splitlines()[-5:])
            raise BackendUnavailable(
                f"{self.binary.name} failed (exit {res.returncode}):\n{tail}",
                hint="Run `i doctor`.",
            )
        return Completion(extract.json_text(res.stdout), {"total_ms": ms, "spawns": 1})

    def close(self) -> None:
        pass
