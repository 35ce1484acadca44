"""Read the command out of a reply that is still streaming in.

A command usually comes fenced (```sh, the line, ```: reply/schema.FENCE), and is known once
its line ends; in a JSON reply the grammar puts it first (`{"command":"..."`, or
`{"script":{"interpreter":"bash","body":"..."`), known once its JSON string closes. Only a
preview: nothing is guarded or run from it; the whole reply is still validated and guarded
before any prompt.
"""

from __future__ import annotations

import json
import re

from intent.reply.schema import FENCE

_OPENERS = (
    re.compile(r'\s*\{\s*"command"\s*:\s*"'),
    re.compile(r'\s*\{\s*"script"\s*:\s*\{\s*"interpreter"\s*:\s*"[a-z0-9]+"\s*,\s*"body"\s*:\s*"'),
)


def command_of(text: str) -> str | None:
    """The command (or script body) once it is complete in `text`, else None."""
    head = text.lstrip()
    if head.startswith(FENCE[0]):
        line, ended, _ = head[len(FENCE[0]) :].partition("\n")
        return line if ended and line.strip() else None
    for opener in _OPENERS:
        match = opener.match(text)
        if match is None:
            continue
        start = match.end() - 1  # the opening quote
        end = _string_end(text, start + 1)
        if end is None:
            return None
        try:
            value = json.loads(text[start : end + 1])
        except ValueError:
            return None
        return value if isinstance(value, str) and value else None
    return None


def _string_end(text: str, i: int) -> int | None:
    """The index of the quote that closes the JSON string starting before `i`, or None."""
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i
        i += 1
    return None
