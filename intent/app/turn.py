"""One turn of `i "..."` as data: what was asked, proposed, decided and run, and how it ended.

The audit record and the `--json` envelope (docs/json.md) are both derived from a `Turn`, so a field
added to one cannot silently go missing from the other. A field stays None until the turn
reaches the step that sets it; each view then shows only what the turn got to, exactly as the
record and the envelope did when they were built side by side.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from intent import __version__
from intent.errors import IntentError
from intent.process import CommandOutcome
from intent.redact import redact_obj
from intent.reply.types import Reply
from intent.run import audit
from intent.vocab import Risk


@dataclass(frozen=True)
class Timings:
    startup_ms: float
    model_ms: float
    tool_steps: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "startup_ms": round(self.startup_ms),
            "model_ms": round(self.model_ms),
            "tool_steps": self.tool_steps,
        }


@dataclass(frozen=True)
class Failure:
    """An error mapped, once, to what every view of the turn says about it."""

    message: str
    line: str  # the message on one line, for the envelope
    exit_code: int
    status: str  # the envelope's status
    decision: str  # the audit record's decision

    @classmethod
    def of(cls, exc: IntentError) -> Failure:
        code = exc.exit_code
        # 4 and 8 are the refusals and cancellations (docs/exit-codes.md); anything else is an error
        word = {4: "refused", 8: "cancelled"}.get(code, "error")
        return cls(exc.message, exc.one_line(), code, word, word)


@dataclass
class Turn:
    prompt: str
    cwd: str
    id: str = field(default_factory=audit.new_id)
    started_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    backend: str = ""  # the backend's name, once resolved
    backend_source: str | None = None  # why that backend (flag, config, auto ...)
    model: str | None = None  # once the backend is built
    # set together once a proposal exists (`proposed`)
    proposed: bool = False
    response: Reply | None = None
    risk: Risk | None = None
    guard: dict[str, Any] | None = None  # None when the reply had nothing to guard
    trial: dict[str, Any] | None = None  # the trial on a throwaway copy (intent/trial.py)
    cached: bool = False
    timings: Timings | None = None
    # what was decided and run; `executed_command` is recorded before the command starts
    decision: str | None = None
    executed_command: str | None = None
    command_known: bool = False  # executed_command was recorded (it may be None: nothing ran)
    settled: bool = False  # settle returned (the turn was not cut short while deciding/running)
    ran_in: str | None = None  # the calling shell that took the command (`i shell-init`)
    revisions: list[str] = field(default_factory=list)
    confined: bool = False  # the command ran in the read-only view (intent/confine.py)
    events: list[str] = field(default_factory=list)  # "tried_to_write": the view stopped a write
    status: str | None = None
    exit_code: int | None = None
    outcome: CommandOutcome | None = None
    failure: Failure | None = None
    total_s: float | None = None

    def fail(self, exc: IntentError) -> Failure:
        self.failure = Failure.of(exc)
        self.decision = self.failure.decision
        self.status = self.failure.status
        self.exit_code = self.failure.exit_code
        return self.failure

    def record(self) -> dict[str, Any]:
        """The audit log's view (redacted and encoded by `audit.append`)."""
        rec: dict[str, Any] = {
            "id": self.id,
            "time": self.started_at,
            "version": __version__,
            "prompt": self.prompt,
            "cwd": self.cwd,
        }
        if self.backend_source is not None:
            rec["backend"] = f"{self.backend} ({self.backend_source})"
        if self.model is not None:
            rec["model"] = self.model
        if self.proposed:
            rec.update(response=self.response, guard=self.guard, cached=self.cached)
            if self.trial is not None:
                rec["trial"] = self.trial
        if self.decision is not None:
            rec["decision"] = self.decision
        if self.command_known:
            rec["executed_command"] = self.executed_command
        if self.settled:
            # a command handed to the shell ends there: `i shell-report` appends its status
            rec["outcome"] = "handed" if self.ran_in else "finished"
            if self.revisions:
                rec["revisions"] = self.revisions
            rec["confined"] = self.confined
        if self.events:
            rec["events"] = self.events
        if self.ran_in:
            rec["ran_in"] = self.ran_in
        elif self.exit_code is not None:
            rec["exit_code"] = self.exit_code
        if self.outcome is not None:
            rec.update(
                duration_s=round(self.outcome.duration_s, 3),
                stderr=self.outcome.stderr_tail[-1000:],
            )
        if self.failure is not None:
            rec["error"] = self.failure.message
        if self.total_s is not None:
            rec["total_s"] = self.total_s
        return rec

    def started_record(self) -> dict[str, Any]:
        """The line written before the command runs, so a crash mid-run still leaves a trace."""
        return {**self.record(), "outcome": "started"}

    def envelope(self) -> dict[str, Any]:
        """The `--json` object (docs/json.md), redacted and with undecodable text escaped."""
        assert self.status is not None and self.exit_code is not None, "the turn has not ended"
        obj: dict[str, Any] = {
            "version": 1,
            "status": self.status,
            "exit_code": self.exit_code,
            "prompt": self.prompt,
            "cwd": self.cwd,
            "backend": self.backend,
            "backend_source": self.backend_source or "",  # why it answered (auto, failover ...)
            "model": self.model or "",
            "response": None,
            "risk": None,
            "guard": {"hard_reject": False, "actions": [], "reasons": []},
            "executed": False,
            "timings": {"startup_ms": None, "model_ms": None, "tool_steps": 0},
        }
        if self.proposed:
            obj.update(response=self.response, risk=self.risk, cached=self.cached)
            if self.timings is not None:
                obj["timings"] = self.timings.as_dict()
            if self.guard is not None:
                obj["guard"] = self.guard
            if self.trial is not None:
                obj["trial"] = self.trial
        if self.failure is not None:
            obj["error"] = self.failure.line
        else:
            obj["executed"] = self.outcome is not None
            if self.outcome is not None:
                obj["stdout"] = self.outcome.stdout or ""
                obj["confined"] = self.confined
                if self.events:
                    obj["events"] = self.events
        encoded: dict[str, Any] = redact_obj(audit.encoded_obj(obj))
        return encoded
