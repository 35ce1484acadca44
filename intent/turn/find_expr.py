"""The shape of a `find` command line: starting points, then an expression of tests, actions and
operators. `bash -n` accepts `find . -type d -empty -o find . -type f -empty`, and find
rejects it only when it runs ("paths must precede expression: `find'"); this sees it first.

Only words that cannot be part of the expression are reported. An option find might know and
this table does not (`-foo`) is left to the option check against find's documentation.
"""

from __future__ import annotations

import re

# GNU find's tests, actions and global options, by how many words follow them
_NO_ARG = frozenset(
    """-daystart -depth -d -follow -ignore_readdir_race -noignore_readdir_race -mount -noleaf
    -xdev -warn -nowarn -empty -executable -false -true -nogroup -nouser -readable -writable
    -delete -ls -print -print0 -prune -quit -help --help -version --version""".split()
)
_ONE_ARG = frozenset(
    """-maxdepth -mindepth -files0-from -amin -anewer -atime -cmin -cnewer -ctime -mmin -mtime
    -fstype -gid -group -uid -user -ilname -iname -inum -ipath -iregex -iwholename -links
    -lname -name -newer -path -perm -regex -regextype -samefile -size -type -xtype -used
    -wholename -context -fls -fprint -fprint0 -printf""".split()
)
_TWO_ARGS = frozenset({"-fprintf"})
_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_OPERATORS = frozenset({"(", ")", "!", ",", "-a", "-o", "-and", "-or", "-not"})
_NEWER_XY = re.compile(r"-newer[aBcmt][aBcmt]")
# options before the starting points: -H -L -P, -D debugopts, -O level
_LEADING = re.compile(r"-[HLP]|-O\d?")


def problem(argv: list[str]) -> str:
    """What find would reject in `argv` (a parsed `find …` command), or ""."""
    words = argv[1:]
    n = 0
    while n < len(words) and (_LEADING.fullmatch(words[n]) or words[n] == "-D"):
        n += 2 if words[n] == "-D" else 1
    while n < len(words) and not _starts_expression(words[n]):
        n += 1  # starting points
    unknown = False  # the word before was an option not in the table: it may take this one
    while n < len(words):
        word = words[n]
        after_unknown, unknown = unknown, False
        if word in _EXEC:
            n += 1
            while n < len(words) and words[n] not in (";", "+"):
                n += 1
        elif word in _ONE_ARG or _NEWER_XY.fullmatch(word):
            n += 1
        elif word in _TWO_ARGS:
            n += 2
        elif word.startswith("-") and word not in _NO_ARG and word not in _OPERATORS:
            unknown = True
        elif word not in _NO_ARG and word not in _OPERATORS and not after_unknown:
            return (
                f"find has `{word}` where it expects a test, an action or an operator: "
                "the starting points come first, then one expression (join tests with -o; "
                "a second find is a second command)"
            )
        n += 1
    return ""


def _starts_expression(word: str) -> bool:
    return word.startswith("-") or word in ("(", "!")
