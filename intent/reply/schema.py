"""The response schema (one `oneOf` branch per approach) and its client-side validation.

The same schema constrains every backend: as a compact grammar for llama.cpp (`grammar.py`),
as `response_format` json_schema for OpenAI-compatible servers. Whatever the backend, replies
are validated here, by a small validator for the subset of JSON Schema used (the tests check
it against the `jsonschema` package).

A command may also come the way a chat model writes one: a fenced `sh` block holding one line
and nothing else (`FENCE`). It is read as `{"command": ...}`: no JSON string escaping for the
model to get right in quotes and backslashes, and no description and risk to decode (the guard
rates the risk). Measured on the quality bench (docs/quality.md, issue 25): as many tasks right
as the JSON reply, about half the decoded tokens.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from intent import vocab
from intent.errors import InvalidReply, ReplyNotJSON
from intent.reply.types import BRANCH_KIND, Reply

# JSON Schema wants lists; the words themselves live in intent.vocab
RISKS = list(vocab.RISKS)
RUNTIMES = ["instant", "seconds", "minutes", "long"]
CONFIDENCE = ["low", "medium", "high"]
SCRIPT_INTERPRETERS = list(vocab.SCRIPT_INTERPRETERS)
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
# expected_runtime and confidence are optional: measured, nothing but `d` (describe) reads them,
# and leaving them out of the prompt saves ~14 decoded tokens per answer (the largest cost of a
# warm call). They stay valid so cached answers and other clients' replies still validate.
# A command needs neither description nor risk (the fenced form has none); a script needs both.
_REQUIRED = ["description", "risk"]

# the fenced command: opening line, closing line (grammar.py builds the same shape), and what
# its one line may not hold: control characters but the tab, C1 controls, and the characters
# Python and JSON-lines readers take for line ends (NEL is C1; U+2028, U+2029)
FENCE = ("```sh\n", "\n```")
FENCED_LINE_EXCLUDES = (
    "\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F\\u2028\\u2029"  # a regex / GBNF class body
)
_NOT_IN_LINE = re.compile(f"[{FENCED_LINE_EXCLUDES}]")


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
            ["command"],
        ),
        _branch(
            {
                "script": _branch(
                    {
                        "interpreter": {"type": "string", "enum": SCRIPT_INTERPRETERS},
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

# after a request to do something got a question or prose back: a command, a script or a
# refusal (a harmful request stays refusable), nothing else
ACTION_SCHEMA: dict[str, Any] = {
    "oneOf": [
        b
        for b in RESPONSE_SCHEMA["oneOf"]
        if {"command", "script", "refusal_reason"} & set(b["required"])
    ]
}

KINDS = tuple(BRANCH_KIND)  # the reply's branches, in the schema's order (reply/types.py)


def fenced_command(text: str) -> str | None:
    """The command of a reply written as a fenced block (`FENCE`: one line, nothing around
    it), or None when the reply has another shape."""
    t = text.strip()
    opening, closing = FENCE
    if not (t.startswith(opening) and t.endswith(closing)) or len(t) < len(opening + closing):
        return None
    command = t[len(opening) : -len(closing)]
    if not command.strip() or _NOT_IN_LINE.search(command) or _json_object(command):
        return None  # a JSON reply in a fence is a JSON reply
    return command


def open_line(text: str) -> str | None:
    """The line of a fenced command that has not ended yet (no line break after it), or None:
    a reply still streaming, or a runaway cut off by the token budget."""
    t = text.lstrip()
    line = t[len(FENCE[0]) :]
    return line if t.startswith(FENCE[0]) and "\n" not in line else None


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def as_text(reply: Reply) -> str:
    """A reply as the model is asked to write it (a command fenced, the rest compact JSON):
    how the model's own earlier answers appear in a conversation."""
    command = reply.get("command")
    if (
        set(reply) <= {"command", "description", "risk"}
        and command
        and not _NOT_IN_LINE.search(command)
    ):
        opening, closing = FENCE
        return f"{opening}{command}{closing}"
    return json.dumps(reply, separators=(",", ":"))


def validate(text_or_obj: str | dict[str, Any]) -> Reply:
    """Parse and validate one reply; raise InvalidReply naming the first problem."""
    command = fenced_command(text_or_obj) if isinstance(text_or_obj, str) else None
    if command is not None:
        text_or_obj = {"command": command}
    if isinstance(text_or_obj, str):
        if open_line(text_or_obj.rstrip()) is not None:
            raise ReplyNotJSON(
                "its ```sh block has no end: the command ran on until it was cut off"
            )
        try:
            obj = json.loads(_strip_fences(text_or_obj))
        except json.JSONDecodeError as exc:
            raise ReplyNotJSON(f"the reply is not JSON ({exc.msg} at char {exc.pos})") from None
        except RecursionError:
            raise InvalidReply("the reply is nested too deeply to be a valid answer") from None
    else:
        obj = text_or_obj
    if not isinstance(obj, dict):
        raise InvalidReply("the reply is not a JSON object")
    present = [k for k in KINDS if k in obj]
    if len(present) != 1:
        raise InvalidReply(
            f"the reply does not match the schema: reply: needs exactly one of {', '.join(KINDS)}"
        )
    # name the problem inside the branch the model chose
    try:
        problem = first_error(RESPONSE_SCHEMA["oneOf"][KINDS.index(present[0])], obj)
    except RecursionError:
        problem = "reply: nested too deeply"
    if problem is None and _depth(obj) > MAX_DEPTH:
        problem = "reply: nested too deeply"  # `arguments` is free-form; keep it shallow
    if problem:
        raise InvalidReply(f"the reply does not match the schema: {problem}")
    return cast(Reply, obj)


MAX_DEPTH = 32


def _depth(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deep `value` nests, counted without recursion (stops at `limit`)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest >= limit:
            return deepest
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((c, d + 1) for c in children)
    return deepest


def first_error(node: dict[str, Any], value: Any, where: str = "reply") -> str | None:
    """The first way `value` breaks `node`, as "path: problem", or None.

    Covers the JSON Schema subset this module's schemas use (the grammar in `grammar.py`
    covers the same subset); importing a full validator cost ~100 ms on every call.
    """
    if "oneOf" in node:
        fits = [b for b in node["oneOf"] if first_error(b, value, where) is None]
        return None if len(fits) == 1 else f"{where}: matches {len(fits)} of the choices, not 1"
    kind = node.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return f"{where}: {_show(value)} is not an object"
        props: dict[str, Any] = node.get("properties", {})
        for key in node.get("required", []):
            if key not in value:
                return f"{where}: {key!r} is a required property"
        if node.get("additionalProperties") is False:
            extra = [k for k in value if k not in props]
            if extra:
                return f"{where}: unexpected property {extra[0]!r}"
        for key, sub in props.items():
            if key in value and (problem := first_error(sub, value[key], f"{where}/{key}")):
                return problem
        return None
    if kind == "string":
        if not isinstance(value, str):
            return f"{where}: {_show(value)} is not a string"
        if "enum" in node and value not in node["enum"]:
            return f"{where}: {value!r} is not one of {node['enum']}"
        if len(value) < node.get("minLength", 0):
            return f"{where}: {_show(value)} is too short"
        if "maxLength" in node and len(value) > node["maxLength"]:
            return f"{where}: a text of {len(value)} characters is longer than {node['maxLength']}"
        return None
    if kind == "array":
        if not isinstance(value, list):
            return f"{where}: {_show(value)} is not an array"
        if "maxItems" in node and len(value) > node["maxItems"]:
            return f"{where}: more than {node['maxItems']} items"
        for i, item in enumerate(value):
            if problem := first_error(node["items"], item, f"{where}/{i}"):
                return problem
        return None
    raise ValueError(f"schema type {kind!r} is not supported here")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _strip_fences(text: str) -> str:
    t = text.strip()
    if t.startswith("```"):
        t = t.split("\n", 1)[1] if "\n" in t else ""
        t = t.rsplit("```", 1)[0]
    return t.strip()
