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

from intent.reply.schema import FENCE, fenced_command

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_THINK_END = re.compile(r"</(think|thinking|reasoning)>", re.I)
_THINK_OPEN = re.compile(r"<(think|thinking|reasoning)>", re.I)
# a fenced command, as an unconstrained model writes one: `sh`, `bash`, `shell` or no language,
# spaces after it, CRLF line ends, prose around it (llama-completion adds ` [end of text]`)
_FENCED = re.compile(r"```(?:sh|bash|shell)?[ \t]*\r?\n([^\r\n]+?)[ \t]*\r?\n```")


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
    fenced = _FENCED.search(rest)
    brace = rest.find("{")
    if fenced and (brace < 0 or fenced.start() < brace):
        # before any JSON object (`find . -exec ls {} +`: its `{}` is not the reply); the
        # schema check reads the canonical shape, and refuses what a fenced line may not hold
        command = f"{FENCE[0]}{fenced.group(1)}{FENCE[1]}"
        if fenced_command(command) is not None:
            return command
    decoder = json.JSONDecoder()
    start = rest.find("{")
    while start >= 0:
        try:
            _obj, end = decoder.raw_decode(rest, start)
            return rest[start:end]
        except ValueError:
            start = rest.find("{", start + 1)
    return rest.strip()
