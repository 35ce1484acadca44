"""What a request's words fix in a `find` command, repaired without asking (issue 25).

Told after a wrong answer, the model tends to repeat it (measured: "what changed in reports
in the last hour" got `-mtime -1` again with the hint that says `-mmin -60`). Two slips are
plain enough from the words alone to be fixed in place:

- hours or minutes given to `-mtime` (whole days): "in the last 2 hours" is `-mmin -120`;
- directories listed for a request about files: "find files that everyone can write to" is
  `find . -type f -perm -o+w` (without `-type f`, every matching directory is listed too).

Each repair touches one `find` at the start of the command, keeps everything else as written,
and must parse; the guard, the checks and the trial see the repaired command like any other.
"""

from __future__ import annotations

import re

from intent.turn.verify import argvs, parses

# a span of hours or minutes next to the words that make it an age: "in the last 2 hours",
# "the past hour", "30 minutes ago", "older than 3 hours", "within 45 minutes"
_COUNT = r"(\d{1,4}|an?|one)"
_UNIT = r"(hours?|minutes?|mins?)"
_SPAN = re.compile(
    rf"\b(?:last|past|previous|within|this)\s+(?:{_COUNT}\s+)?{_UNIT}\b"
    rf"|(?<![.\d])\b{_COUNT}\s+{_UNIT}\s+(?:ago|old)\b"
    rf"|\b(?:older|newer|more|less|fewer)\s+than\s+{_COUNT}\s+{_UNIT}\b",
    re.IGNORECASE,
)
# other units, a fraction or a half: the request is not plainly in hours or minutes
_UNSURE = re.compile(
    r"\b(?:days?|weeks?|months?|years?|half|quarter)\b|\d[.,]\d|\band\s+a\s+half\b", re.I
)
_OLDER = re.compile(r"\b(?:older|more\s+than|over|before|at\s+least)\b", re.IGNORECASE)
_DAYS = re.compile(r"(?<=\s)-([amc])time\s+([+-]?)(\d+)(?=\s|$)")

_FILES = re.compile(r"\bfiles?\b", re.IGNORECASE)
# words that ask for more than regular files
_NOT_ONLY_FILES = re.compile(
    r"\b(?:folders?|director(?:y|ies)|dirs?|subdirs?|subfolders?|anything|everything|"
    r"entries|items|paths?|(?:sym)?links?|sockets?|devices?|pipes?)\b",
    re.IGNORECASE,
)
# the start of the command: `find`, its starting points (plain words before the expression:
# no quotes, no globs, no shell characters) and the depth options that must come first; then
# a test (a `-word`, but not `-not`), so nothing negates or groups what is inserted
_FIND_START = re.compile(
    r"^\s*find((?:\s+(?![-(!\\])[\w./~+@%,:=-]+)*)(?:\s+-(?:max|min)depth\s+\d+)*(?=\s+-(?!not\b)\w|\s*$)"
)
# find words after which a `-type f` would change what the expression means
_KEEP_AS_IS = {"-type", "-xtype", "-o", "-or", "-prune", ",", "-H", "-L", "-P", "-O", "-D"}
_GLOB = re.compile(r"[*?\[]")


def repaired(command: str, request: str) -> str:
    """`command` with the `find` slips above fixed, or as it was."""
    if not request or not command.lstrip().startswith("find"):
        return command
    finds = [a for a in argvs(command) if a and a[0] == "find"]
    if len(finds) != 1:
        return command
    fixed = _hours(command, request, finds[0])
    fixed = _files_only(fixed, request, finds[0])
    return fixed if fixed != command and parses(fixed) else command


def _hours(command: str, request: str, argv: list[str]) -> str:
    """A span of hours or minutes given to -mtime (-atime, -ctime) as days: -mmin. The
    command's sign stays (another check rates it); with none, the words give it."""
    span = _SPAN.search(request)
    ages = [w for w in argv if w in ("-mtime", "-atime", "-ctime")]
    found = list(_DAYS.finditer(command))
    minutes_too = any(w in ("-mmin", "-amin", "-cmin") for w in argv)
    if span is None or _UNSURE.search(request) or minutes_too:
        return command
    if len(ages) != 1 or len(found) != 1:
        return command
    number = next((g for g in span.groups()[0::2] if g), "")
    unit = next(g for g in span.groups()[1::2] if g).lower()
    count = int(number) if number.isdigit() else 1
    minutes = count * 60 if unit.startswith("hour") else count
    m = found[0]
    sign = m.group(2) or ("+" if _OLDER.search(request) else "-")
    return f"{command[: m.start()]}-{m.group(1)}min {sign}{minutes}{command[m.end() :]}"


def _files_only(command: str, request: str, argv: list[str]) -> str:
    """A request about files whose find has no -type: -type f after the starting points."""
    if not _FILES.search(request) or _NOT_ONLY_FILES.search(request):
        return command
    if any(w in _KEEP_AS_IS for w in argv):
        return command
    # `-name __pycache__`: one exact name is as likely a folder as a file
    names = [argv[i + 1] for i, w in enumerate(argv[:-1]) if w in ("-name", "-iname")]
    if any(not _GLOB.search(n) for n in names):
        return command
    m = _FIND_START.match(command)
    if m is None:
        return command
    return f"{command[: m.end()]} -type f{command[m.end() :]}"
