"""Small lexical helpers of the parser: ANSI-C `$'...'` escapes and `case` patterns."""

from __future__ import annotations

import re

ANSI_ESCAPE = re.compile(
    r"\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)", re.S
)
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
}


def decode_escape(esc: str) -> str:
    body = esc[1:]
    if body[0] in "xuU" and len(body) > 1:
        return chr(int(body[1:], 16))
    if body[0] in "01234567":
        return chr(int(body, 8) & 0xFF)
    if body[0] == "c" and len(body) == 2:
        return chr(ord(body[1]) & 0x1F)
    return _SIMPLE_ESCAPES.get(body, body)


def skip_pattern(s: str, i: int) -> int:
    """Skip a `case` pattern up to and including its `)`."""
    quote = ""
    while i < len(s):
        c = s[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "\\":
            i += 1
        elif c == ")":
            return i + 1
        i += 1
    return i
