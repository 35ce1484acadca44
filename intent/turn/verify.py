"""Check a proposed command with what this machine already knows, before it is shown.

`bash -n`, the guard's parser, whether each utility is installed, and whether each option
appears in the utility's local documentation (the lookup `i explain` uses). A problem found
here costs the engine one retry that quotes it; a command still failing is shown with a warning.
`repair` fixes the one mistake seen often enough to fix without asking: a `find -exec` whose
terminator the JSON grammar turned into a stray quote.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass

from intent import process
from intent.explain.lookup import _header_lines
from intent.explain.walk import Docs, Explainer
from intent.guard.parser import parse

# words bash runs without looking on PATH
_BUILTINS = set(
    """alias bg bind break builtin caller cd command compgen complete continue declare dirs disown
    echo enable eval exec exit export false fc fg getopts hash help history jobs kill let local
    logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt source
    suspend test times trap true type typeset ulimit umask unalias unset wait . : [ [[ ]] { } !
    if then else elif fi for in do done while until case esac function select time coproc""".split()
)
_EXEC = re.compile(
    r"(-(?:exec|execdir|ok|okdir)\s(?:[^|&;]*?\s)?\{\})\s*(?:\\?\")?\s*(?=$|\|{1,2}|&&|>)"
)
MAX_OPTION_LIST = 500


@dataclass(frozen=True)
class Problem:
    message: str
    docs: str = ""  # the utility's option list, short, for the retry


def repair(command: str) -> str:
    """`find … -exec cmd {}` missing its `\\;` (often ending in a stray `"`): add it."""
    if "-exec" not in command and "-ok" not in command:
        return command
    if not any(_find_lacks_terminator(argv) for argv in _argvs(command)) and _parses(command):
        return command
    fixed = _EXEC.sub(
        lambda m: m.group(1) + " \\;" + (" " if m.end() < len(command) else ""), command, count=1
    )
    return fixed if fixed != command and _parses(fixed) else command


def problems(command: str, docs: Docs | None) -> list[Problem]:
    """What is wrong with `command` on this machine, most basic first; empty when nothing is."""
    if not _parses(command):
        return [Problem("it is not valid shell syntax (bash -n rejects it)")]
    script = parse(command)
    if script.errors:
        return [Problem(f"it does not parse: {script.errors[0]}")]
    found: list[Problem] = []
    for argv in _argvs(command):
        if _find_lacks_terminator(argv):
            found.append(Problem("a find -exec has no terminator: end it with \\; or +"))
    for cmd in script.commands:
        if not cmd.words:
            continue
        name = cmd.words[0].text
        if "/" in name or "$" in name or name in _BUILTINS or "=" in name:
            continue
        if shutil.which(name) is None:
            found.append(Problem(f"`{name}` is not installed on this machine"))
    if docs is not None and not found:
        found += _unknown_options(command, docs)
    return found


def _unknown_options(command: str, docs: Docs) -> list[Problem]:
    found = []
    for part in Explainer(docs).explain(command):
        if part.source not in ("man", "help"):
            continue
        for item in part.items:
            token = item.token
            if item.kind != "flag" or item.doc or re.fullmatch(r"-\d+|-[A-Z]+", token):
                continue
            _, text = docs.get(part.utility)
            found.append(
                Problem(
                    f"`{part.utility}` has no option {token} in its local documentation",
                    _option_list(part.utility, text),
                )
            )
    return found


def _option_list(utility: str, text: str) -> str:
    heads = [re.split(r"\s{2,}", line.strip(), maxsplit=1)[0] for _, line in _header_lines(text)]
    listed = ", ".join(dict.fromkeys(h for h in heads if len(h) < 40))
    if len(listed) > MAX_OPTION_LIST:
        listed = listed[:MAX_OPTION_LIST].rsplit(",", 1)[0] + ", …"
    return f"{utility} options: {listed}" if listed else ""


def _argvs(command: str) -> list[list[str]]:
    return [c.argv for c in parse(command).commands]


def _find_lacks_terminator(argv: list[str]) -> bool:
    if not argv or argv[0] != "find":
        return False
    open_exec = False
    for word in argv[1:]:
        if word in ("-exec", "-execdir", "-ok", "-okdir"):
            open_exec = True
        elif open_exec and word in (";", "+"):
            open_exec = False
    return open_exec


def _parses(command: str) -> bool:
    try:
        return process.run(["bash", "-n", "-c", command], timeout=5).returncode == 0
    except OSError:
        return True  # no bash to ask: the guard's parser still checks it
    except UnicodeEncodeError:
        return True  # a lone surrogate cannot reach bash; settle refuses the command itself
