"""`i explain`: map every token of a command to the local documentation that defines it.

One parser (`shellparse`) serves both the guard and this module. Excerpts are sliced from
man pages, `--help` output or `help` for builtins; nothing here is written by a model.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from intent import safety
from intent.explain.lookup import Docs, find_option, name_line, option_doc
from intent.guard import wrappers
from intent.guard.parser import Simple, parse

OPERATORS = {
    "|": "pipe: the output of the command on the left becomes the input of the command on the right",
    "|&": "pipe both standard output and standard error into the next command",
    "&&": "run the next command only if the previous one succeeded",
    "||": "run the next command only if the previous one failed",
    ";": "run the next command after this one, whatever its result",
    "\n": "run the next command after this one, whatever its result",
    "&": "run the command in the background",
}
REDIRECTS = {
    ">": "redirect standard output into the file (create it or overwrite it)",
    ">>": "redirect standard output to the end of the file (append)",
    "<": "read standard input from the file",
    "<<": "here-document: the following lines up to the delimiter are standard input",
    "<<-": "here-document (leading tabs removed): the following lines are standard input",
    "<<<": "here-string: the word is standard input",
    ">&": "duplicate a file descriptor (2>&1: send errors where output goes)",
    "&>": "redirect both standard output and standard error into the file",
    "&>>": "append both standard output and standard error to the file",
    ">|": "redirect standard output, overwriting even with noclobber set",
    "<&": "duplicate an input file descriptor",
}
SUBCOMMAND_TOOLS = {
    "git",
    "docker",
    "podman",
    "apt",
    "apt-get",
    "kubectl",
    "systemctl",
    "npm",
    "cargo",
    "pip",
    "pip3",
    "brew",
    "go",
    "dnf",
    "snap",
    "journalctl",
    "ip",
    "gh",
}
TAR_LETTERS = set("AcdrtuxzjJvfCkmpPsSwWOlgGhiaqT")
# utilities whose first word may be BSD-style option letters without a dash (`ps aux`)
BSD_WORDS = {"ps"}
# the first operand is a program in the utility's own language, unless an option gave one
PROGRAMS = {
    "awk": ("an awk program", ("-f", "--file")),
    "gawk": ("an awk program", ("-f", "--file")),
    "mawk": ("an awk program", ("-f",)),
    "sed": ("a sed script", ("-e", "-f", "--expression", "--file")),
    "jq": ("a jq filter", ("-f", "--from-file")),
    "perl": ("a perl program", ("-e", "-E")),
}
FIND_OPERATORS = {
    "-not": "negation: true when the test that follows is false",
    "!": "negation: true when the test that follows is false",
    "-a": "and: both tests must be true (the default between tests)",
    "-and": "and: both tests must be true (the default between tests)",
    "-o": "or: true when either test is true",
    "-or": "or: true when either test is true",
    "(": "group the tests up to the closing parenthesis",
    "\\(": "group the tests up to the closing parenthesis",
    ")": "end of the group",
    "\\)": "end of the group",
    ",": "list: evaluate both expressions, the value is the second one's",
}


@dataclass
class Item:
    token: str
    kind: str  # flag | operand | operator | redirect | subcommand | assignment
    doc: str
    argument: str | None = None
    brief: str | None = None  # the first sentence of the description (doc is the paragraph)


@dataclass
class Part:
    utility: str
    source: str  # man | help | builtin | none
    items: list[Item] = field(default_factory=list)
    note: str | None = None


# ---- walking the command -----------------------------------------------------------------------


class Explainer:
    def __init__(self, docs: Docs) -> None:
        self.docs = docs

    def explain(self, command: str) -> list[Part]:
        script = parse(command)
        parts: list[Part] = []
        for cmd in script.commands:
            parts.extend(self._simple(cmd))
            if cmd.op_after and cmd.op_after in OPERATORS:
                parts.append(
                    Part(
                        "shell",
                        "builtin",
                        [
                            Item(
                                cmd.op_after.replace("\n", "newline"),
                                "operator",
                                OPERATORS[cmd.op_after],
                            )
                        ],
                    )
                )
        return parts

    def _simple(self, cmd: Simple) -> list[Part]:
        parts = self._argv([w.text for w in cmd.words])
        extra = [
            Item(a.text, "assignment", "sets an environment variable for this command")
            for a in cmd.assignments
        ]
        for r in cmd.redirects:
            key = r.op
            doc = REDIRECTS.get(key, "redirection")
            if r.op == ">&" and r.fd == "2" and r.target == "1":
                doc = "send standard error (2) to wherever standard output (1) goes"
            elif r.fd == "2" and r.op in (">", ">>"):
                doc = doc.replace("standard output", "standard error")
            extra.append(
                Item(
                    r.raw,
                    "redirect",
                    f"{doc}: {r.target}" if r.target and not r.target.isdigit() else doc,
                )
            )
        for w in cmd.words:
            for sub in w.substitutions:
                extra.append(
                    Item(
                        f"$({sub})",
                        "operand",
                        "command substitution: replaced by the output of the inner command",
                    )
                )
                parts.extend(self.explain(sub))
        if extra:
            if parts:
                parts[0].items.extend(extra)
            else:
                parts.append(Part("shell", "builtin", extra))
        return parts

    def _argv(self, argv: list[str]) -> list[Part]:
        if not argv:
            return []
        word0 = argv[0]
        name = os.path.basename(word0) if "/" in word0 else word0
        # a wrapper (the guard's: sudo, env, nice, timeout ...): its own words are explained
        # here, the command it runs as a part of its own
        start = wrappers.wrapped_at(argv)
        args, wrapped = (argv[1:start], argv[start:]) if start is not None else (argv[1:], [])
        sub = None
        if name in SUBCOMMAND_TOOLS:
            sub = next((a for a in args if not a.startswith("-")), None)
        source, text = self.docs.get(name)
        page = name
        if sub:
            s_source, s_text = self.docs.get(f"{name}-{sub}")
            if s_source != "none":
                # the subcommand's page first; the parent's page still documents global options
                source, text, page = s_source, f"{s_text}\n\n{text}", f"{name}-{sub}"
        part = Part(name, source)
        if source == "none":
            part.note = f"no local documentation found for {name}"
        parts = [part]
        if name in ("sh", "bash", "zsh", "dash") and "-c" in args:
            i = args.index("-c")
            part.items.append(
                Item(
                    "-c",
                    "flag",
                    (find_option(text, "-c") or ("read commands from the next argument", False))[0],
                )
            )
            if i + 1 < len(args):
                part.items.append(
                    Item(args[i + 1], "operand", "the commands to run (explained below)")
                )
                parts.extend(self.explain(args[i + 1]))
            return parts
        i = 0
        operand_n = 0
        if name == "tar" and args and not args[0].startswith("-") and set(args[0]) <= TAR_LETTERS:
            args = ["-" + args[0], *args[1:]]
        if name in BSD_WORDS and args and re.fullmatch(r"[A-Za-z]+", args[0]):
            if self._bsd_word(part, text, args[0]):
                i = 1
        program, program_options = PROGRAMS.get(name, ("", ()))
        if program and any(a.split("=")[0] in program_options for a in args):
            program = ""  # the program came with -e/-f; the operands are files
        expression = False  # find: past the starting points, in the tests and actions
        while i < len(args):
            a = args[i]
            if (
                sub
                and a == sub
                and page != name
                and not part.items
                or (sub and a == sub and not any(it.kind == "subcommand" for it in part.items))
            ):
                doc = (
                    name_line(text)
                    if page != name and source == "man"
                    else f"{name} subcommand {a}"
                )
                part.items.append(Item(a, "subcommand", doc))
                i += 1
                continue
            if name == "find" and a in ("-exec", "-execdir", "-ok", "-okdir"):
                j = i + 1
                while j < len(args) and args[j] not in (";", "+", "\\;"):
                    j += 1
                exec_doc = find_option(text, a)
                part.items.append(
                    Item(
                        a, "flag", exec_doc[0] if exec_doc else f"{a}: run a command for each file"
                    )
                )
                nested = args[i + 1 : j]
                if j < len(args):
                    term = args[j]
                    part.items.append(
                        Item(
                            term,
                            "operator",
                            "end of the -exec command: run it with as many file names as fit at once"
                            if term == "+"
                            else "end of the -exec command: run it once per file",
                        )
                    )
                parts.extend(self._argv(nested))
                i = j + 1
                continue
            if name == "find" and a in FIND_OPERATORS:
                found = option_doc(text, a.strip("\\"))
                doc = found.doc if found and a.startswith("-") else FIND_OPERATORS[a]
                part.items.append(Item(a, "operator", doc, brief=FIND_OPERATORS[a]))
                expression = True
                i += 1
                continue
            if name == "chmod" and re.fullmatch(r"-[rwxXst]+(?:,[ugoa]*[-+=][rwxXst]*)*", a):
                # `chmod -w f` is a mode (remove write permission), not an option
                part.items.append(Item(a, "operand", "the mode: remove these permissions"))
                i += 1
                continue
            if a.startswith("-") and a != "-" and a != "--":
                expression = expression or name == "find"
                consumed = self._option(part, text, a, args[i + 1] if i + 1 < len(args) else None)
                i += 1 + consumed
                continue
            if a == "--":
                part.items.append(Item(a, "operator", "end of options: what follows are operands"))
                i += 1
                continue
            operand_n += 1
            what = f"operand {operand_n}"
            if name == "find":
                what = (
                    "an argument in the expression"
                    if expression
                    else "a starting point of the search"
                )
            elif program and operand_n == 1:
                part.items.append(Item(a, "program", f"{program}: the text {name} runs"))
                program, operand_n = "", 0  # the files it reads are counted from 1
                i += 1
                continue
            if a == "{}":
                what = "replaced by the current file name"
            part.items.append(Item(a, "operand", what))
            i += 1
        parts.extend(self._argv(wrapped))
        return parts

    def _bsd_word(self, part: Part, text: str, word: str) -> bool:
        """`ps aux`: each letter is an option documented on its own; False (and nothing
        added) unless every letter is."""
        found = [option_doc(text, letter) for letter in word]
        if any(f is None for f in found):
            return False
        for letter, f in zip(word, found, strict=True):
            assert f is not None
            part.items.append(Item(letter, "flag", f.doc, None, f.brief))
        return True

    def _option(self, part: Part, text: str, token: str, following: str | None) -> int:
        """Add items for one option token; return how many following words it consumed."""
        opt, eq, value = token.partition("=")
        if part.utility in ("kill", "pkill", "killall") and re.fullmatch(r"-(\d+|[A-Z]+)", opt):
            signal_doc = find_option(text, "-s") or find_option(text, "--signal")
            doc = f"send signal {opt[1:]} instead of TERM" + (
                f" (see: {signal_doc[0]})" if signal_doc else ""
            )
            part.items.append(Item(token, "flag", doc))
            return 0
        found = option_doc(text, opt)
        if found:
            takes = found.takes
            arg = value if eq else (following if takes and following is not None else None)
            part.items.append(Item(token, "flag", found.doc, arg, found.brief))
            return 1 if (takes and not eq and following is not None) else 0
        if not token.startswith("--") and len(opt) > 2:
            letters = opt[1:]
            consumed = 0
            for k, letter in enumerate(letters):
                f = option_doc(text, f"-{letter}")
                if f is None:
                    part.items.append(Item(f"-{letter}", "flag", "", None))
                    continue
                arg = None
                if f.takes and k == len(letters) - 1 and following is not None:
                    arg, consumed = following, 1
                elif f.takes and k < len(letters) - 1:
                    arg = letters[k + 1 :]
                    part.items.append(Item(f"-{letter}", "flag", f.doc, arg, f.brief))
                    return 0
                part.items.append(Item(f"-{letter}", "flag", f.doc, arg, f.brief))
            return consumed
        part.items.append(Item(token, "flag", ""))
        return 0


def explain(command: str, *, cache_dir: Path | None, use_man: bool = True) -> dict[str, Any]:
    """The structure that `i explain --json` prints (without the summary)."""
    verdict = safety.assess(command)
    parts = Explainer(Docs(cache_dir, use_man=use_man)).explain(command)
    return {
        "command": command,
        "risk": verdict.risk,
        "hard_reject": verdict.hard_reject,
        "reasons": verdict.reasons,
        "parts": [_part_dict(p) for p in parts],
        "summary": None,
    }


def _part_dict(p: Part) -> dict[str, Any]:
    d = asdict(p)
    d["items"] = [
        {k: v for k, v in it.items() if v is not None or k in ("token", "kind", "doc")}
        for it in d["items"]
    ]
    if d["note"] is None:
        d.pop("note")
    return d


def coverage(result: dict[str, Any]) -> tuple[int, int]:
    """(flags with an excerpt, flags) in one explanation."""
    flags = [it for p in result["parts"] for it in p["items"] if it["kind"] == "flag"]
    return sum(1 for f in flags if f["doc"]), len(flags)


__all__ = ["explain", "coverage", "Docs", "Explainer", "find_option", "name_line"]
