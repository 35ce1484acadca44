"""What a small pipeline prints, worked out without running it: `echo X | base64 -d`.

Used to see through `echo ... | base64 -d | sh` and `sh -c "$(printf ...)"`: when the text a
shell will run is fixed in the command itself, the guard rates that text. Anything it cannot
work out statically returns None, and the caller treats the shell's input as unknown.
"""

from __future__ import annotations

import base64
import binascii
import codecs

from intent.guard.parser import Simple, parse
from intent.guard.wrappers import base_name, unwrap


def static_output(text: str) -> str | None:
    """The output of `text` when it is a pipeline of echo/printf/cat and decoders, else None."""
    script = parse(text)
    if script.errors or not script.commands:
        return None
    pipelines = script.pipelines()
    if len(pipelines) != 1:
        return None
    return pipeline_output(pipelines[0])


def pipeline_output(stages: list[Simple]) -> str | None:
    data: str | None = None
    for i, cmd in enumerate(stages):
        data = _stage(cmd, data if i else None)
        if data is None:
            return None
    return data


def stdin_of(cmd: Simple) -> str | None:
    """The text a here-string or here-document feeds `cmd`, if any."""
    for r in cmd.redirects:
        if r.op == "<<<":
            return r.target + "\n"
    if cmd.heredoc_bodies:
        return cmd.heredoc_bodies[-1] + "\n"
    return None


def _stage(cmd: Simple, data: str | None) -> str | None:
    argv = unwrap(cmd.argv).argv  # `sudo echo X` prints X too
    if not argv:
        return None
    name, args = base_name(argv[0]), argv[1:]
    given = stdin_of(cmd)
    if given is not None:
        data = given
    if name == "echo":
        flags = [a for a in args if a in ("-n", "-e", "-E", "-ne", "-en")]
        body = " ".join(args[len(flags) :])
        if any("e" in f for f in flags):
            body = _unescape(body)
        return body if any("n" in f for f in flags) else body + "\n"
    if name == "printf" and args:
        fmt, rest = args[0], args[1:]
        try:
            return _unescape(fmt.replace("%s", "{}").replace("%b", "{}")).format(*rest)
        except (IndexError, ValueError):
            return _unescape(fmt) + "".join(rest)
    if name == "cat" and not args:
        return data
    if data is None:
        return None
    if name in ("base64", "base32") and set(args) & {"-d", "--decode", "-D"}:
        compact = "".join(data.split())
        try:
            raw = base64.b64decode(compact) if name == "base64" else base64.b32decode(compact)
            return raw.decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    if name == "xxd" and "-r" in args:
        try:
            return bytes.fromhex("".join(data.split())).decode("utf-8", "replace")
        except ValueError:
            return None
    if name == "rev" and not args:
        return "\n".join(line[::-1] for line in data.split("\n"))
    if name == "tr" and len(args) == 2 and len(args[0]) == len(args[1]):
        return data.translate(str.maketrans(args[0], args[1]))
    return None


def _unescape(text: str) -> str:
    try:
        return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")
    except UnicodeDecodeError:
        return text
