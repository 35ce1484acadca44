"""Errors that `i` reports, each with its exit code and a hint that names the fix.

IntentError                  1   anything else, with a one-line message
├── UsageError               2   a bad flag, argument, key or value
├── BackendUnavailable       3   no runtime, no model, or the backend failed
│   ├── RuntimeMissing       3   llama.cpp binaries not found
│   └── ModelMissing         3   the model file is not installed or is unusable
├── AuditFailed              3   the audit record could not be written: nothing runs
├── Refused                  4   guard hard-reject, model refusal, tool budget spent
├── InvalidReply             5   the model's reply failed the schema twice
├── SandboxUnavailable       6   --sandbox without bwrap / sandbox-exec
├── ConfirmationNeeded       7   no TTY and the risk is above what --yes allows
├── Cancelled                8   the user said no, or the model asked a question
└── Interrupted            130   Ctrl-C or a terminating signal
"""

from __future__ import annotations


class IntentError(Exception):
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.detail = detail

    def one_line(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class UsageError(IntentError):
    exit_code = 2


class BackendUnavailable(IntentError):
    exit_code = 3


class RuntimeMissing(BackendUnavailable):
    pass


class ModelMissing(BackendUnavailable):
    pass


class AuditFailed(IntentError):
    exit_code = 3


class Refused(IntentError):
    exit_code = 4


class InvalidReply(IntentError):
    exit_code = 5


class ReplyNotJSON(InvalidReply):
    """Not even JSON: usually a runaway loop cut off by the token budget."""


class SandboxUnavailable(IntentError):
    exit_code = 6


class ConfirmationNeeded(IntentError):
    exit_code = 7


class Cancelled(IntentError):
    exit_code = 8


class Interrupted(IntentError):
    exit_code = 130
