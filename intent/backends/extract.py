"""The one JSON extractor every backend's reply goes through.

Servers that do not constrain their output (a proxy that drops `response_format`, the one-shot
binary, a thinking model) wrap the reply object in markdown fences, explain it in prose, or
think aloud in `<think>…</think>` first. The reply is a fenced command (reply/schema.FENCE) or
the first complete JSON object left once the thinking is dropped; anything else is returned
stripped, for the schema check to name.
"""

from __future__ import annotations

import json
import re

from intent.reply.schema import FENCE

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_THINK_END = re.compile(r"</(think|thinking|reasoning)>", re.I)
_THINK_OPEN = re.compile(r"<(think|thinking|reasoning)>", re.I)
# a fenced command first, whatever follows it (llama-completion adds ` [end of text]`)
_FENCED = re.compile(rf"\s*({re.escape(FENCE[0])}[^\n]+{re.escape(FENCE[1])})")


def drop_thinking(text: str) -> str:
    """The text without its thinking: closed blocks removed; an unclosed block (the reply was
    cut off while thinking) removed to the end; a lone closing tag (some templates put the
    opening tag in the prompt) removes everything before it."""
    text = _THINK.sub("", text)
    ends = list(_THINK_END.finditer(text))
    if ends:
        text = text[ends[-1].end() :]
    opened = _THINK_OPEN.search(text)
    if opened:
        text = text[: opened.start()]
    return text


def json_text(text: str) -> str:
    """The first complete JSON object in a reply; the stripped text when there is none."""
    rest = drop_thinking(text)
    fenced = _FENCED.match(rest)
    if fenced:  # `find . -exec ls {} +`: its `{}` is not the reply; a trailer after it goes
        return fenced.group(1)
    decoder = json.JSONDecoder()
    start = rest.find("{")
    while start >= 0:
        try:
            _obj, end = decoder.raw_decode(rest, start)
            return rest[start:end]
        except ValueError:
            start = rest.find("{", start + 1)
    return rest.strip()
