"""What the request's own words imply about the command, checked against it (issue 25).

On requests nobody tuned for, the commonest wrong answers run and print something plausible:
an option the request implies is left out (`find` without `-maxdepth 1` for "only here", `grep`
without `-w` for "the word"), a soft link for a "hard link", an editor for "add a cron job",
one line too many for "the 5 biggest" (a header, a `total` line, an off-by-one). Neither the
trial nor the static checks see these; the request's words do. Each rule here is a phrase of
the request and a feature of the command, general enough for requests never seen; a hit costs
the engine one retry that says what the request implies, like any other problem.

`problem` reads the command before it is tried; `output_problem` reads what the trial printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from intent.guard.parser import parse

Argv = list[str]


def _argvs(command: str) -> list[Argv]:
    try:
        return [c.argv for c in parse(command).commands if c.argv]
    except Exception:  # noqa: BLE001 - an unparsable command has its own check
        return []


def _flags(argv: Argv) -> set[str]:
    """The short options of `argv` one letter each (`-rn` gives r, n) and its long options."""
    out: set[str] = set()
    for word in argv[1:]:
        if word == "--":
            break
        if word.startswith("--"):
            out.add(word.split("=", 1)[0])
        elif word.startswith("-") and len(word) > 1 and not word[1].isdigit():
            out.update(word[1:])
    return out


def _uses(argvs: list[Argv], name: str) -> list[Argv]:
    return [a for a in argvs if a[0].rsplit("/", 1)[-1] == name]


@dataclass(frozen=True)
class Rule:
    asked: re.Pattern[str]  # the request's words
    wrong: Callable[[list[Argv], str], bool]  # the command's argvs and text: it misses them
    say: str  # what the retry tells the model


def _ln_soft(argvs: list[Argv], _: str) -> bool:
    return any({"s", "--symbolic"} & _flags(a) for a in _uses(argvs, "ln"))


def _ln_hard(argvs: list[Argv], _: str) -> bool:
    lns = _uses(argvs, "ln")
    return bool(lns) and not any({"s", "--symbolic"} & _flags(a) for a in lns)


def _find_deep(argvs: list[Argv], _: str) -> bool:
    finds = _uses(argvs, "find")
    return bool(finds) and not any("-maxdepth" in a for a in finds)


def _grep_lacks(letter: str, long: str, also: str = "") -> Callable[[list[Argv], str], bool]:
    def wrong(argvs: list[Argv], text: str) -> bool:
        greps = [a for n in ("grep", "egrep", "fgrep", "rg") for a in _uses(argvs, n)]
        if not greps or (also and re.search(also, text)):
            return False
        return not any({letter, long} & _flags(a) for a in greps)

    return wrong


def _ls_no_hidden(argvs: list[Argv], text: str) -> bool:
    lss = _uses(argvs, "ls")
    if not lss or _uses(argvs, "find") or ".*" in text or "/." in text:
        return False
    return not any({"a", "A", "--all", "--almost-all"} & _flags(a) for a in lss)


def _find_case(argvs: list[Argv], _: str) -> bool:
    finds = [a for a in _uses(argvs, "find") if "-name" in a or "-path" in a]
    return bool(finds) and not any("-iname" in a or "-ipath" in a for a in finds)


_EDITORS = frozenset("vi vim nvim nano emacs pico micro joe mcedit ed gedit kate code".split())


def _editor(argvs: list[Argv], _: str) -> bool:
    for a in argvs:
        name = a[0].rsplit("/", 1)[-1]
        if name in _EDITORS or name == "visudo" or (name == "crontab" and "-e" in a):
            return True
    return False


_WORD = r"(?:\b(?:whole|entire|exact|complete)\s+words?\b|\bas\s+a\s+(?:whole\s+)?word\b|\bthe\s+word\b)"
_HERE_ONLY = (
    r"(?:\b(?:only|just)\s+(?:directly\s+)?(?:here|in\s+(?:this|the\s+current)\s+(?:folder|directory|dir))\b"
    r"|\bnot\s+(?:in(?:to)?\s+|the\s+)?sub-?\s?(?:folders?|directories|dirs?)\b"
    r"|\bno(?:t)?\s+recursi|\bnon-?recursive|\bwithout\s+(?:sub-?\s?(?:folders|directories)|recursi|descending)"
    r"|\btop[- ]level\b|\bthis\s+(?:folder|directory|dir)\s+only\b|\bhere\s+only\b)"
)
_ANY_CASE = (
    r"(?:\b(?:any|either|ignor(?:e|ing)(?:\s+the)?|regardless\s+of(?:\s+the)?)\s+case\b"
    r"|\bcase[- ]?insensitive(?:ly)?\b|\bupper\s+or\s+lower\b|\bin\s+any\s+capitali[sz]ation\b)"
)

RULES: tuple[Rule, ...] = (
    Rule(
        re.compile(r"\bhard\s*-?\s*links?\b", re.I),
        _ln_soft,
        "the request asks for a hard link: `ln TARGET NAME`, without -s",
    ),
    Rule(
        re.compile(r"\b(?:sym(?:bolic)?|soft)\s*-?\s*links?\b", re.I),
        _ln_hard,
        "the request asks for a symbolic link: `ln -s TARGET NAME`",
    ),
    Rule(
        re.compile(_HERE_ONLY, re.I),
        _find_deep,
        "the request wants this directory only, not its subdirectories: find needs -maxdepth 1",
    ),
    Rule(
        re.compile(_WORD, re.I),
        _grep_lacks("w", "--word-regexp", also=r"\\b|\\<|\\>|\[\[:<:\]\]"),
        "the request asks for the whole word: grep -w (so that longer words containing it do not match)",
    ),
    Rule(
        re.compile(_ANY_CASE, re.I),
        _grep_lacks("i", "--ignore-case"),
        "the request asks to ignore case: grep -i",
    ),
    Rule(
        re.compile(_ANY_CASE, re.I),
        _find_case,
        "the request asks to ignore case: find -iname instead of -name",
    ),
    Rule(
        re.compile(r"\bline\s+numbers?\b|\bwith\s+(?:their\s+)?numbers\b", re.I),
        _grep_lacks("n", "--line-number", also=r"\bnl\b|\bcat\s+-\w*n|\bNR\b"),
        "the request asks for line numbers: grep -n",
    ),
    Rule(
        re.compile(r"\bhidden\b|\bdot\s?files\b", re.I),
        _ls_no_hidden,
        "hidden files start with a dot and plain ls leaves them out: ls -a (or ls -d .*)",
    ),
    Rule(
        # a change asked for, not an editor opened: "add a cron job", "set debug to true"
        re.compile(
            r"^(?!.*\b(?:edit|open|editor|interactively)\b).*\b(?:add|append|set|change|"
            r"replace|insert|schedule|remove|delete|install|put|write|create)\b",
            re.I | re.S,
        ),
        _editor,
        "that opens an editor and waits for the user; make the change with the command itself "
        "(sed -i, printf >> FILE, or for a crontab line: (crontab -l 2>/dev/null; echo 'LINE') | crontab -)",
    ),
)


def problem(command: str, request: str) -> str:
    """What the request's words imply that `command` leaves out, or ""."""
    if not request or not command:
        return ""
    argvs = _argvs(command)
    if not argvs:
        return ""
    for rule in RULES:
        if rule.asked.search(request) and rule.wrong(argvs, command):
            return rule.say
    return ""


# "the 5 biggest files", "top 10", "first 3 lines", "last 20 lines", "5 most common words"
_COUNT_WORDS = (
    r"top|first|last|biggest|largest|smallest|newest|oldest|latest|recent|most|least|"
    r"highest|lowest|longest|shortest"
)
_N_ITEMS = re.compile(
    rf"\b(?:{_COUNT_WORDS})\s+(\d{{1,3}})\b|\b(\d{{1,3}})\s+(?:{_COUNT_WORDS})\b", re.I
)
_RANGE = re.compile(r"\blines?\s+(\d{1,6})\s*(?:-|to|through|thru|until|and)\s*(\d{1,6})\b", re.I)


def output_problem(request: str, stdout: str) -> str:
    """What the trial's output says against the number of lines the request asks for, or "".

    Only one line too many counts for "the N biggest" (a header, a `total` line, an
    off-by-one): fewer may be all there is. A line range ("lines 5 to 10") must print its
    length exactly, when the trial printed anything."""
    lines = stdout.splitlines()
    if not lines or len(stdout) > 60_000:
        return ""
    got = len(lines)
    r = _RANGE.search(request)
    if r:
        first, last = int(r.group(1)), int(r.group(2))
        want = last - first + 1
        if 0 < want < 10_000 and abs(got - want) == 1:
            return (
                f"it printed {got} lines when tried on a copy; lines {first} to {last} are "
                f"{want} lines (sed -n '{first},{last}p' FILE)"
            )
        return ""
    m = _N_ITEMS.search(request)
    if m:
        want = int(m.group(1) or m.group(2))
        if re.match(r"total \d", lines[0]):
            return (
                "its first line is ls's `total` line, not one of the "
                f"{want} the request asks for (ls -l prints it; leave out -l or skip that line)"
            )
        if 0 < want and got == want + 1:
            return (
                f"it printed {got} lines when tried on a copy; the request asks for {want} "
                "(a header or `total` line, or one too many)"
            )
    return ""
