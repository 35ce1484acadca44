"""The response schema (one `oneOf` branch per approach) and its client-side validation.

The same schema goes to llama-server (`response_format` json_schema), to the one-shot binary
(`-j`) and to OpenAI-compatible servers. Whatever the backend, replies are validated here.
"""

from __future__ import annotations

import json
from typing import Any

from intent.errors import InvalidReply

RISKS = ["safe", "network", "mutates", "destructive", "sudo"]
RUNTIMES = ["instant", "seconds", "minutes", "long"]
CONFIDENCE = ["low", "medium", "high"]
INTERPRETERS = ["python3", "node", "ruby", "perl", "bash", "sh"]
TOOL_NAMES = [
    "list_dir",
    "read_file",
    "head_file",
    "stat",
    "which",
    "help",
    "grep",
    "find_files",
    "env_get",
    "cwd",
    "os_info",
    "git_status",
    "ask_user",
]

_TEXT = {"type": "string", "minLength": 1, "maxLength": 400}
_SHORT = {"type": "string", "minLength": 1, "maxLength": 160}
_COMMON = {
    "description": _SHORT,
    "risk": {"type": "string", "enum": RISKS},
    "expected_runtime": {"type": "string", "enum": RUNTIMES},
    "confidence": {"type": "string", "enum": CONFIDENCE},
}
_REQUIRED = ["description", "risk", "expected_runtime", "confidence"]


def _branch(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


RESPONSE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        _branch(
            {
                "command": {"type": "string", "minLength": 1, "maxLength": 2000},
                **_COMMON,
                "alternatives": {
                    "type": "array",
                    "maxItems": 3,
                    "items": _branch(
                        {
                            "command": {"type": "string", "minLength": 1, "maxLength": 2000},
                            "description": _SHORT,
                            "risk": {"type": "string", "enum": RISKS},
                        },
                        ["command", "description", "risk"],
                    ),
                },
            },
            ["command", *_REQUIRED],
        ),
        _branch(
            {
                "script": _branch(
                    {
                        "interpreter": {"type": "string", "enum": INTERPRETERS},
                        "body": {"type": "string", "minLength": 1, "maxLength": 8000},
                    },
                    ["interpreter", "body"],
                ),
                **_COMMON,
            },
            ["script", *_REQUIRED],
        ),
        _branch(
            {
                "tool_call": _branch(
                    {
                        "name": {"type": "string", "enum": TOOL_NAMES},
                        "arguments": {"type": "object"},
                    },
                    ["name", "arguments"],
                )
            },
            ["tool_call"],
        ),
        _branch(
            {"stdout_to_user": {"type": "string", "minLength": 1, "maxLength": 4000}},
            ["stdout_to_user"],
        ),
        _branch({"clarifying_question": _TEXT}, ["clarifying_question"]),
        _branch({"refusal_reason": _TEXT}, ["refusal_reason"]),
    ]
}

KINDS = (
    "command",
    "script",
    "tool_call",
    "stdout_to_user",
    "clarifying_question",
    "refusal_reason",
)


def kind(reply: dict[str, Any]) -> str:
    """Which branch a validated reply took."""
    return next(k for k in KINDS if k in reply)


_VALIDATORS: dict[int, Any] = {}


def _validator(schema: dict[str, Any]) -> Any:
    import jsonschema

    key = id(schema)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


def validate(text_or_obj: str | dict[str, Any]) -> dict[str, Any]:
    """Parse and validate one reply; raise InvalidReply naming the first problem."""
    import jsonschema

    if isinstance(text_or_obj, str):
        try:
            obj = json.loads(_strip_fences(text_or_obj))
        except json.JSONDecodeError as exc:
            raise InvalidReply(f"the reply is not JSON ({exc.msg} at char {exc.pos})") from None
    else:
        obj = text_or_obj
    if not isinstance(obj, dict):
        raise InvalidReply("the reply is not a JSON object")
    schema = RESPONSE_SCHEMA
    present = [k for k in KINDS if k in obj]
    if len(present) == 1:  # name the problem inside the branch the model chose
        schema = RESPONSE_SCHEMA["oneOf"][KINDS.index(present[0])]
    errors = list(_validator(schema).iter_errors(obj))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        where = "/".join(str(p) for p in best.absolute_path) or "reply"
        raise InvalidReply(f"the reply does not match the schema: {where}: {best.message}")
    return obj


def _strip_fences(text: str) -> str:
    t = text.strip()
    if t.startswith("```"):
        t = t.split("\n", 1)[1] if "\n" in t else ""
        t = t.rsplit("```", 1)[0]
    return t.strip()
