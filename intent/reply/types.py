"""The model's reply as a type: one `Reply` holds exactly one branch (which the validator in
schema.py guarantees), and `kind_of` names it. A reply is still a plain JSON object at run time
(it goes to the audit log, the answer cache and `--json` as it is); the type says what is in it."""

from __future__ import annotations

from typing import Final, Literal, TypedDict, cast

from intent.vocab import Interpreter, Risk


class Script(TypedDict):
    interpreter: Interpreter
    body: str


class ToolCall(TypedDict):
    name: str
    arguments: dict[str, object]


class Alternative(TypedDict):
    command: str
    description: str
    risk: Risk


class Reply(TypedDict, total=False):
    """Exactly one of `command`, `script`, `tool_call`, `stdout_to_user`,
    `clarifying_question`, `refusal_reason`; the rest belong to a command or a script."""

    command: str
    script: Script
    tool_call: ToolCall
    stdout_to_user: str
    clarifying_question: str
    refusal_reason: str
    description: str
    risk: Risk
    expected_runtime: str
    confidence: str
    alternatives: list[Alternative]


# The reply branch, in the words the rest of `i` uses (a proposal's kind, the --json status).
Kind = Literal["command", "script", "tool_call", "inform", "clarify", "refuse"]
BRANCH_KIND: Final[dict[str, Kind]] = {
    "command": "command",
    "script": "script",
    "tool_call": "tool_call",
    "stdout_to_user": "inform",
    "clarifying_question": "clarify",
    "refusal_reason": "refuse",
}
KIND_BRANCH: Final[dict[Kind, str]] = {k: b for b, k in BRANCH_KIND.items()}


def kind_of(reply: Reply) -> Kind:
    """Which branch a validated reply took."""
    return next(BRANCH_KIND[b] for b in BRANCH_KIND if b in reply)


def text_of(reply: Reply) -> str:
    """The words of a reply that is not a command: the answer, the question or the refusal."""
    branch = KIND_BRANCH[kind_of(reply)]
    value = cast(dict[str, object], reply).get(branch)
    return value if isinstance(value, str) else ""
