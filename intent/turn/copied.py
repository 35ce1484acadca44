"""Details copied from a bank example into a request that differs (issue 25).

A 1.5B model copies the nearest example faithfully, its numbers and names too: shown
`find . -name '*.log' -mtime +7 -delete` for "delete log files older than a week", it wrote
`-mtime +7` for "older than 10 days"; shown `gzip notes/*.txt`, it ran `find notes …` where no
`notes` exists. A number the request does not give, from an example's command, while a number
the request gives is missing, or a name from an example's command that is neither in the request
nor in the directory, costs the engine one retry that says so.
"""

from __future__ import annotations

import os
import re
import shutil

from intent.guard.parser import parse
from intent.turn import examples
from intent.turn import prompt as prompt_mod

_NUMBER = re.compile(r"(?<![\w.])[+-]?(\d+)(?![\w.])")


def _numbers(text: str) -> set[str]:
    return {m.group(1) for m in _NUMBER.finditer(text)}


def problem(command: str, request: str, cwd: str | None) -> str:
    """What the command took from an example shown with the request, or ""."""
    shown = examples.pick(request, prompt_mod.EXAMPLES_PER_REQUEST)
    if not shown:
        return ""
    from_examples = " ".join(e.command for e in shown)
    asked = _numbers(request)
    used = _numbers(command)
    copied = (used & _numbers(from_examples)) - asked
    missing = asked - used
    if copied and missing:
        return (
            f"it uses {', '.join(sorted(copied))} as an example does, but the request says "
            f"{', '.join(sorted(missing))}"
        )
    names = _copied_names(command, request, from_examples, cwd)
    if names:
        return (
            f"{', '.join(f'`{n}`' for n in names)} comes from an example, not from the request, "
            "and is not in this directory"
        )
    return ""


def _copied_names(command: str, request: str, from_examples: str, cwd: str | None) -> list[str]:
    if cwd is None:
        return []
    script = parse(command)
    if script.errors:
        return []
    example_words = set(re.findall(r"[\w.~/-]+", from_examples))
    example_words |= {part for w in example_words for part in w.split("/") if part}
    wanted = request.lower()
    found = []
    for cmd in script.commands:
        for word in cmd.argv[1:]:
            name = word.rstrip("/")
            if (
                len(name) < 3
                or name.startswith(("-", "/", "~", "$"))
                or any(c in name for c in "*?[]{}=:@'\"")
                or not re.search(r"[a-zA-Z]", name)
                or name not in example_words
                or name.lower() in wanted
                or not re.fullmatch(r"[\w.-]+(?:/[\w.-]+)*", name)
                or any(len(part) > 2 and part.lower() in wanted for part in name.split("/"))
                or os.path.lexists(os.path.join(cwd, os.path.expanduser(name)))
                or shutil.which(name)
            ):
                continue
            found.append(name)
    return list(dict.fromkeys(found))
