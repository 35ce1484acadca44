"""The first line of each data file a request names, for the user message. "The average age in
data/users.csv" needs to know that age is the second column and that a header line must be
skipped; "requests per status code in access.log" needs the log's format. Without it the model
guesses the column (`$3`) and sums the header.

Only tables (.csv, .tsv) always, other files only when the request is about their columns or
fields: each line costs about 30 prompt tokens, two seconds on a small CPU. Only files under the
working directory (after symlinks): this read happens before the model asks. Read through the
toolbox, so the model's own read rules hold (credential stores refused by resolved path,
regular files only, a time bound, secrets redacted). The line is untrusted data: it goes into
the prompt as a JSON string, never to the terminal or a shell.
"""

from __future__ import annotations

import re
from pathlib import Path

from intent.turn import implied
from intent.turn.tools import Toolbox

MAX_FILES = 2
LINE_CAP = 160
_TABLE = re.compile(r"\.(?:csv|tsv)$", re.IGNORECASE)
_ABOUT_FIELDS = re.compile(r"\b(?:columns?|fields?|header|per)\b", re.IGNORECASE)
# a first line that says nothing about the rest
_WHOLE = re.compile(r"\.(?:json|ya?ml|toml|xml|html?)$", re.IGNORECASE)
# a word that names a file: it has an extension or a directory part
_NAME = re.compile(rf"(?<![\w~/.-])({implied.FILE_WORD}|~?[\w.-]*/[\w./-]*\w)(?![\w/])")


def named_files(request: str) -> list[str]:
    """The data files `request` names, in order, at most MAX_FILES."""
    about_fields = bool(_ABOUT_FIELDS.search(request))
    names = [
        n
        for n in _NAME.findall(request)
        if _TABLE.search(n) or (about_fields and not _WHOLE.search(n))
    ]
    return list(dict.fromkeys(names))[:MAX_FILES]


def first_lines(request: str, toolbox: Toolbox) -> tuple[tuple[str, str], ...]:
    """(name, first line) for each data file the request names that can be read as text."""
    found = []
    for name in named_files(request):
        if not below(toolbox.cwd, name):
            continue  # read before the model asks: only what the working directory holds
        text = toolbox.call("head_file", {"path": name, "lines": 1})
        line = text.split("\n", 1)[0]
        if not line.strip() or text.startswith("error:") or "\0" in line or "\ufffd" in line:
            continue
        found.append((name, line[:LINE_CAP]))
    return tuple(found)


# words of a request that say nothing about which line of a file it means
_PLAIN = frozenset(
    "the a an in on of to for from with and or it its this that all every each into at by is "
    "turn comment out value line lines file true false new old".split()
) | frozenset(implied.CHANGE_VERBS)


def lines_about(request: str, name: str, toolbox: Toolbox, limit: int = 2) -> list[str]:
    """The lines of `name` (a file under the working directory) holding a word of the
    request that is not the file's own name (`port` in "change the port in server.conf to
    9090"): what a change that changed nothing should have matched. Read through the
    toolbox (its read rules, secrets redacted); untrusted data, for the model only."""
    if not below(toolbox.cwd, name):
        return []
    stem = set(re.findall(r"\w+", name.lower()))
    words = [
        w
        for w in dict.fromkeys(re.findall(r"[a-z_][a-z0-9_]{2,}", request.lower()))
        if w not in _PLAIN and w not in stem
    ]
    text = toolbox.call("read_file", {"path": name})
    if not words or text.startswith("error:") or re.fullmatch(r".*: binary file, \d+ bytes", text):
        return []
    found = [
        line.strip()[:LINE_CAP]
        for line in text.splitlines()
        if "\0" not in line
        and "\ufffd" not in line
        and any(re.search(rf"\b{re.escape(w)}\b", line, re.IGNORECASE) for w in words)
    ]
    return found[:limit]


def below(cwd: Path, name: str) -> bool:
    """`name` leads (after every symlink) to a file under `cwd`: not /etc/shadow, not a link
    out to a key file or /proc. The model may still ask for other files with its tools."""
    try:
        root = cwd.resolve()
        return (root / name).resolve().is_relative_to(root) and not name.startswith("~")
    except (OSError, RuntimeError, ValueError):
        return False
